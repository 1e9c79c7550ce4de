"""Import and export of people with their history (CSV, JSON, JSON Lines). No Textual."""
