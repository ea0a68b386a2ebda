"""Levels from points, as OdysseyStamps.levelOf: the number of thresholds ≤ points (ascending list)."""
from bisect import bisect_right


def level_for(points: int, thresholds: list[int]) -> int:
    return bisect_right(thresholds, points)


def next_threshold(points: int, thresholds: list[int]) -> int | None:
    level = level_for(points, thresholds)
    return thresholds[level] if level < len(thresholds) else None
