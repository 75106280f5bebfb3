"""Synthetic registers for benchmarks: many organisations, people and interests, one big meeting.

    python benchmarks/generate.py --orgs 10000 --people 20000 --interests 100000 -o big.yaml

The data is random but seeded, so every run of a benchmark measures the same file.
Organisations get two aliases each; one body has a meeting with ``--items`` agenda items
and ``--attendees`` members, so the same file serves the load and the check benchmarks.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

WORDS = [
    "harbour",
    "zone",
    "routeways",
    "guild",
    "community",
    "partnership",
    "trust",
    "recovery",
    "housing",
    "youth",
    "care",
    "action",
    "mind",
    "carers",
    "family",
    "advice",
    "link",
    "hope",
    "bridge",
    "haven",
    "pathways",
    "horizon",
    "north",
    "south",
    "east",
    "west",
    "city",
    "coast",
    "valley",
    "moor",
    "river",
    "tamar",
    "plym",
    "drake",
]
AREAS = [
    "mental-health/adult",
    "mental-health/children",
    "substance-misuse",
    "children-young-people/youth-work",
    "children-young-people/early-help",
    "housing",
    "employment",
    "older-people/dementia",
    "public-health/tobacco",
    "infrastructure",
]
CATEGORIES = ["financial", "non-financial-professional", "non-financial-personal", "indirect"]
KINDS = ["provides-service", "holds-contract", "bidding-for-tender", "trusteeship", "employment"]
ITEM_KINDS = ["decision", "procurement", "contract-award", "performance-review", "discussion"]


def synthetic_register(
    *,
    orgs: int,
    people: int,
    interests: int,
    items: int = 200,
    attendees: int = 60,
    seed: int = 1,
) -> dict[str, list[dict[str, Any]]]:
    rnd = random.Random(seed)

    def name(i: int) -> str:
        return f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS).title()} {i}"

    org_rows = [
        {
            "id": f"o{i}",
            "name": name(i),
            "aliases": [f"{rnd.choice(WORDS).title()} Group {i}", f"ORG{i}"],
            "service_areas": [rnd.choice(AREAS)],
        }
        for i in range(orgs)
    ]
    org_rows[0]["kind"] = "commissioner"
    person_rows = [{"id": f"p{i}", "name": f"Person {i}"} for i in range(people)]
    affiliations = [
        {
            "person": f"p{i}",
            "organisation": f"o{rnd.randrange(1, orgs)}",
            "role": "trustee",
            "start": "2020-01-01",
        }
        for i in range(people)
    ]
    relations = [
        {"from": f"o{i}", "kind": "member_of", "to": f"o{rnd.randrange(1, max(2, orgs // 50))}"}
        for i in range(max(2, orgs // 50), orgs, 7)
    ]
    interest_rows = []
    for i in range(interests):
        holder = (
            {"person": f"p{rnd.randrange(people)}"}
            if i % 4 == 0
            else {"organisation": f"o{rnd.randrange(1, orgs)}"}
        )
        interest_rows.append(
            {
                "id": f"i{i}",
                **holder,
                "category": rnd.choice(CATEGORIES),
                "kind": rnd.choice(KINDS),
                "description": f"Interest {i}",
                "service_areas": [rnd.choice(AREAS)],
                "references": [f"T-{rnd.randrange(10000):04d}"] if i % 3 == 0 else [],
                "start": "2024-01-01",
            }
        )
    members = [{"person": f"p{i}"} for i in range(min(attendees, people))]
    bodies = [
        {"id": "board", "name": "Board", "commissioners": ["o0"], "quorum": 5, "members": members}
    ]
    agenda = []
    for n in range(1, items + 1):
        named = rnd.randrange(1, orgs)
        agenda.append(
            {
                "number": str(n),
                "title": f"Item {n} about {org_rows[named]['name']}"
                if n % 5 == 0
                else f"Item {n} on {rnd.choice(AREAS)}",
                "kind": rnd.choice(ITEM_KINDS),
                "text": "Papers to follow. " * 5,
                "service_areas": [rnd.choice(AREAS)],
                "references": [f"T-{rnd.randrange(10000):04d}"] if n % 4 == 0 else [],
            }
        )
    meetings = [
        {
            "id": "board-1",
            "body": "board",
            "title": "Board",
            "start": "2027-01-14 10:00",
            "items": agenda,
        }
    ]
    return {
        "organisations": org_rows,
        "relations": relations,
        "people": person_rows,
        "affiliations": affiliations,
        "bodies": bodies,
        "interests": interest_rows,
        "meetings": meetings,
    }


def write(path: Path, data: dict[str, Any]) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as f:
        yaml.dump(data, f, Dumper=dumper, sort_keys=False, default_flow_style=None, width=200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--interests", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--attendees", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    a = parser.parse_args()
    data = synthetic_register(
        orgs=a.orgs,
        people=a.people,
        interests=a.interests,
        items=a.items,
        attendees=a.attendees,
        seed=a.seed,
    )
    write(a.output, data)


if __name__ == "__main__":
    main()
