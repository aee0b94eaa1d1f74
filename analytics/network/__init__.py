"""Network intelligence analytics (Django-free): the graph engine, organizer ranking, sanctions screening."""
