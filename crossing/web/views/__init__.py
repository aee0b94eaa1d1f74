"""HTML views: thin. They parse input, call a selector or service, and render."""
