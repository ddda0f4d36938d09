"""floto: declare, check, draw, run and watch workflows on AWS Simple Workflow Service."""

__version__ = "0.1.0"
