"""Sam the Social Cowboy: choose-your-path episodes for social-selling training."""

__version__ = "0.1.0"
