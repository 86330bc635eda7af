"""Access governance: checklists, scheduled lifecycle, access review, campaigns (LIFE-8/9)."""
