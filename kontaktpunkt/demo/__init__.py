"""The demo world: a realistic year of activity, generated from a seed (`kontaktpunkt demo`)."""
