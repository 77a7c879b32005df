"""``POST /v1/posts/validate``: ``PostValidation``.

Validate never charges and never stores. It resolves the targets with the rules of a create
(``core/rules/targets.py``) and applies the platform content rules (``core/rules/content.py``) as a real send
would, and lists every issue in ``errors`` or ``warnings``: a past ``scheduled_at``, an account that
needs reconnecting, a text over the limit. Unknown accounts and media are 404 as on create, an unknown
platform is 400. An account named both in ``targets`` and ``account_ids`` is checked once.
"""

from __future__ import annotations

import dataclasses

from mockserver.core import messages
from mockserver.core.commands import NewPost, NewTarget
from mockserver.core.errors import ValidationFailed
from mockserver.core.models import PLATFORMS, Target
from mockserver.core.posts.base import PostsBase
from mockserver.core.rules.content import Issue, Report, check_post, raise_first
from mockserver.core.rules.platforms import RULES, PlatformRules
from mockserver.core.rules.targets import resolve_targets


class PostValidation(PostsBase):
    """``validate_post`` and the rules table behind it (see the module docstring)."""

    def validate_post(
        self: PostsBase, cmd: NewPost, *, platforms: tuple[str, ...] = (), account_ids: tuple[str, ...] = ()
    ) -> Report:
        """``POST /v1/posts/validate``: every issue a send of ``cmd`` would meet; nothing is stored."""
        with self.lock:
            now = self.clock.now()
            for index, platform in enumerate(platforms):
                if platform not in PLATFORMS:
                    message = messages.UNKNOWN_PLATFORM.format(platform=platform)
                    raise ValidationFailed.invalid(f"platforms[{index}]", message)
            targeted = {spec.account_id for spec in cmd.targets}
            specs = list(cmd.targets)
            origins = [f"targets[{i}]" for i in range(len(specs))]
            for index, account_id in enumerate(account_ids):
                if account_id not in targeted:
                    targeted.add(account_id)
                    specs.append(NewTarget(account_id=account_id))
                    origins.append(f"account_ids[{index}]")
            request = dataclasses.replace(cmd, targets=tuple(specs))
            resolved = resolve_targets(request, self.target_context(now), origins=origins)
            # A missing reference, or a text the request needed, refuses the request as a create would.
            refused = [
                issue for issue in resolved.issues if issue.missing or issue.message == messages.TEXT_OR_OWN_BODIES
            ]
            raise_first(refused)
            resolved.issues = [issue for issue in resolved.issues if issue not in refused]
            targets, origins = resolved.targets, resolved.origins
            for platform in platforms:
                if not any(t.platform == platform for t in targets):
                    data = dict(cmd.platform_data.get(platform) or {})
                    targets.append(Target(account_id="", platform=platform, platform_data=data or None))
                    origins.append("")
            if not targets:
                raise ValidationFailed.required(
                    "platforms", "give platforms, account_ids or targets to validate against"
                )
            early = _per_target(resolved.issues, targets)
            post = cmd.draft(targets, now, self.state.media.items)
            report = check_post(post, self.state.media.items, publishing=True)
            return Report(
                early + [_from_request(i, origins) for i in report.errors],
                [_from_request(i, origins) for i in report.warnings],
            )

    def platform_rules(self, platform: str | None = None) -> dict[str, PlatformRules]:
        """The rules table behind validation, for one platform or all (``GET /v1/posts/validate``)."""
        if platform is None:
            return dict(RULES)
        if platform not in RULES:
            unknown = messages.UNKNOWN_PLATFORM.format(platform=platform)
            raise ValidationFailed.invalid("platform", f"{unknown}; one of {', '.join(RULES)}")
        return {platform: RULES[platform]}


def _per_target(issues: list[Issue], targets: list[Target]) -> list[Issue]:
    """``issues``, each issue of the post as a whole (no platform) repeated for every target it concerns."""
    out: list[Issue] = []
    for issue in issues:
        if issue.platform:
            out.append(issue)
        else:
            out.extend(dataclasses.replace(issue, platform=t.platform, target=t.account_id) for t in targets)
    return out


def _from_request(issue: Issue, origins: list[str]) -> Issue:
    """``issue`` with its ``targets[i]`` field renamed after where target ``i`` is in the request."""
    head, dot, rest = issue.field.partition(".")
    if not (dot and head.startswith("targets[") and head.endswith("]") and head[8:-1].isdigit()):
        return issue
    origin = origins[int(head[8:-1])]
    if origin.startswith("account_ids"):
        origin = ""
    return dataclasses.replace(issue, field=f"{origin}.{rest}" if origin else rest)
