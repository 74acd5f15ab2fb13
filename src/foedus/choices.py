"""The enumerations the command line offers as choices, kept free of pydantic so that
``foedus --help`` starts without loading the model (:mod:`foedus.model` re-exports them)."""

from __future__ import annotations

from enum import Enum


class Act(str, Enum):
    """The kind of hostile act in an event."""

    INVASION = "invasion"
    ARMED_ATTACK = "armed-attack"
    INCIDENT = "incident"  # a limited use of force (border clash, single strike)
    THREAT = "threat"  # a threat of attack, no force used


class Kind(str, Enum):
    """What is owed (ATOP's five obligation types)."""

    DEFENSE = "defense"
    OFFENSE = "offense"
    NEUTRALITY = "neutrality"
    NONAGGRESSION = "nonaggression"
    CONSULTATION = "consultation"
