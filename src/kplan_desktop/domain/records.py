"""Building many frozen records fast from values already checked (rows the store has read).

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__`: for an
Indicator (23 fields) that is some five times the cost of filling its `__dict__` at once, and the
planning division's window reads 20,000 of them, each with its values (issue 20). `builder` makes
the same object — equal, hashed and frozen as the constructor's — from the fields' values in
their order, for a class whose constructor only stores its arguments (no `__post_init__`, no
slots, every field an `__init__` argument); it refuses any other class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[[Sequence[Any]], T]:
    """A function making a `cls` from the values of its fields, in the order they are declared
    (all of them: the defaults are not filled in)."""
    if not dataclasses.is_dataclass(cls) or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: a dataclass without slots is needed")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: its constructor does more than store its fields")
    fields = dataclasses.fields(cls)
    if any(not field.init for field in fields):
        raise TypeError(f"{cls.__name__}: every field must be an argument of its constructor")
    names = tuple(field.name for field in fields)
    new = object.__new__

    def build(values: Sequence[Any]) -> T:
        made = new(cls)
        # strict: a wrong number of values is a ValueError, never a half-filled record.
        made.__dict__.update(zip(names, values, strict=True))
        return made

    return build
