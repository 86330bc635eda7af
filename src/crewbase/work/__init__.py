"""Work events from the host application, presence and performance figures (ACT-6, LIST-4)."""
