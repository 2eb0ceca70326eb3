"""Figures as at a date, FOI answers with disclosure control, and their exports. Counts only."""
