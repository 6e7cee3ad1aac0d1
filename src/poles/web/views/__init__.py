"""Page views, one module per page or page family."""
