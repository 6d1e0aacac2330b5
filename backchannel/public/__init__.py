"""The public build: a new SQLite file made from the working corpus for publication, with
private people protected (DESIGN: `backchannel publish-build`).

- `policy.py`: the reporter's policy file (who else stays visible, what is withheld or kept).
- `privacy.py`: who is private, their pseudonyms, and the scrubber that replaces them in text.
- `build.py`: the build itself: copy, withhold, scrub every text, drop, re-index, vacuum.
"""

from .build import BuildSummary, build
from .policy import Policy, PolicyError, load_policy

__all__ = ["BuildSummary", "Policy", "PolicyError", "build", "load_policy"]
