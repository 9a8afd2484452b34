"""runlift: a coach for runners who lift."""
__version__ = "0.1.0"
