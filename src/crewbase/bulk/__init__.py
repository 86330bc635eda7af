"""Bulk actions on many members and CSV import (LIST-3, INV-7)."""
