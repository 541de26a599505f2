"""Links are checked the same way by `goodwill check` and `goodwill build`."""

from __future__ import annotations

import re

from test_build import add_article

GOOD_LINKS = """
See [the section below](#the-second-part),
[a heading elsewhere](deep-networks-beat-wide-ones.md#why-depth-produces-referrals),
[the archive](../archive.md), [the tags](../tags.md#tag-thanking),
[an author](../authors/maria-lopez.md), [a stylesheet](../assets/stylesheets/goodwill.css),
[a page by URL](../deep-networks-beat-wide-ones/),
[an absolute one](https://guide.example.com/articles/running-a-good-one-to-one/#before-the-meeting),
[a rooted one](/archive/), [the digest](../digest/index.md), [the feed](/feed_json_created.json),
[somewhere else](https://example.org/x#y) and [mail](mailto:a@example.com).

```
[not a link](nowhere.md) inside code
```

## The second part

Text.
"""

BAD_LINKS = """
[no anchor](#nope) and [a missing page](no-such-article.md).
[a wrong anchor](deep-networks-beat-wide-ones.md#why-depth-produce-referrals)
[an absolute miss](https://guide.example.com/articles/gone/) and [a rooted miss](/nothing/)
[a missing image](../assets/images/nope.png) and <https://guide.example.com/tags/#tag-nope>
"""


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "link to" in line]


def test_good_links_pass_check_and_build_strict(cli, project_dir):
    add_article(project_dir, "linky.md", extra=GOOD_LINKS)
    check = cli("check", "--strict")
    assert check.exit_code == 0, check.output
    build = cli("build", "--strict")
    assert build.exit_code == 0, build.output
    page = (project_dir / "site" / "articles" / "linky" / "index.html").read_text()
    assert 'id="the-second-part"' in page


def test_bad_links_same_in_check_and_build_all_at_once_sorted(cli, project_dir):
    add_article(project_dir, "b-links.md", extra=BAD_LINKS)
    add_article(project_dir, "a-links.md", extra="\n[gone](gone.md)\n")
    check = cli("check")
    assert check.exit_code == 0  # warnings only
    warned = problem_lines(check.output)
    assert len(warned) == 8
    build = cli("build")
    assert build.exit_code == 0
    assert problem_lines(build.output) == warned
    strict_check = cli("check", "--strict")
    strict_build = cli("build", "--strict")
    assert strict_check.exit_code == strict_build.exit_code == 1
    errors = problem_lines(strict_build.output)
    assert errors == [w.replace(": warning:", ":") for w in warned]  # one run, every one
    assert problem_lines(strict_check.output) == warned
    where = [(m.group(1), int(m.group(2))) for m in map(_location, errors)]
    assert where == sorted(where)  # by file, then line
    text = "\n".join(errors)
    assert "b-links.md:11: link to '#nope': no heading '#nope' in articles/b-links.md" in text
    assert "no heading '#why-depth-produce-referrals'" in text
    assert "did you mean 'why-depth-produces-referrals'?" in text
    assert "'https://guide.example.com/articles/gone/' points at no page" in text
    assert "'/nothing/' points at no page" in text
    assert "'../assets/images/nope.png' points at no page" in text
    assert "'https://guide.example.com/tags/#tag-nope': no heading '#tag-nope' in tags.md" in text


def _location(line: str):
    return re.match(r"content/articles/([\w-]+\.md):(\d+):", line)


def test_a_link_to_a_draft_is_fine_only_when_drafts_are_built(cli, project_dir):
    draft = add_article(project_dir, "draft.md", "A draft")
    draft.write_text(draft.read_text().replace("tags:", "draft: true\ntags:"))
    add_article(project_dir, "points.md", extra="\n[the draft](draft.md)\n")
    assert cli("build", "--strict").exit_code == 1
    assert cli("build", "--strict", "--drafts").exit_code == 0
