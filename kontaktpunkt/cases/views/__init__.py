"""Views of case handling, one module per screen: queue, detail, map."""
