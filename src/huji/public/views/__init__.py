"""Views of this presentation app, one module per domain; each has urlpatterns."""
