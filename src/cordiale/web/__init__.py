"""``cordiale serve``: the JSON API (:mod:`.api`) and the dashboard in one FastAPI app."""
