"""Actors: the gazetteer data and the resolver that turns mentions into coded actors."""

from .gazetteer import Entry, Gazetteer, Post, build_gazetteer, default_gazetteer
from .resolver import ActorResolver, make_code

__all__ = ["ActorResolver", "Entry", "Gazetteer", "Post", "build_gazetteer",
           "default_gazetteer", "make_code"]
