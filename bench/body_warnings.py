"""What the X-Mock-Warnings check (issue 11) adds to a create: the walk over the body, against the
pydantic validation the create already does, on the body of the create benchmark (``lua/create_draft.lua``).

    .venv/bin/python bench/body_warnings.py

Prints the median of interleaved rounds for both and their ratio; the ratio is the figure to compare
(absolute times depend on the machine and its load).
"""

from __future__ import annotations

import statistics
import timeit

import orjson

from mockserver.api.body_warnings import body_warnings
from mockserver.api.shapes.posts import CreatePostRequest

BODY = orjson.loads(
    b'{"text": "Benchmark draft: hello from wrk", "skip_duplicate_check": true, '
    b'"targets": [{"account_id": "acc_01JGTY1E836VY9YE7XYGSKYSVC"}, {"account_id": "acc_01JGR43PP11YMKWM7ZXA9DVNXE"}]}'
)
ROUNDS = 15
PER_ROUND = 5000


def main() -> None:
    assert body_warnings(CreatePostRequest, BODY) == []
    walk: list[float] = []
    validate: list[float] = []
    for _ in range(ROUNDS):
        walk.append(timeit.timeit(lambda: body_warnings(CreatePostRequest, BODY), number=PER_ROUND) / PER_ROUND)
        validate.append(timeit.timeit(lambda: CreatePostRequest.model_validate(BODY), number=PER_ROUND) / PER_ROUND)
    w, v = statistics.median(walk), statistics.median(validate)
    print(f"warnings walk  {w * 1e6:6.2f} us per create body")
    print(f"pydantic parse {v * 1e6:6.2f} us per create body")
    print(f"ratio          {w / v:6.2f}")


if __name__ == "__main__":
    main()
