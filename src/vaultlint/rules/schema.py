"""Rules driven by note-type schemas: missing and empty fields and sections, values, order.

Which notes have a type, and what a type asks for, is in the schemas
(``rules/book.yaml`` and the vault's own, see ``vaultlint.schema``). A note
of no type (a daily note, a meeting note) gets none of these rules. All of
them read one completeness computation per note (``schema.states_for``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from vaultlint.fmwrite import editor
from vaultlint.model import Edit, FieldEntry, Finding, Fix, Heading, Note, Severity
from vaultlint.parse import parse_note
from vaultlint.rules.base import Context, Example, Rule
from vaultlint.schema import FieldState, SectionState, states_for

BOOK = "Books/Dune.md"
_LINE_PREFIX = re.compile(r"(?:[ \t]*>)*[ \t]*(?:[-*+][ \t]+)?")
_SETEXT_UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*\r?(?:\n|\Z)")


class MissingField(Rule):
    """Report a required field that a note of a schema's type does not have.

    A field may be written as a `` `Key:` value `` line, a Dataview
    ``Key:: value`` or a frontmatter key; keys ignore case. Reported at line 1.
    The unsafe fix inserts the empty field line (a value is never invented) at
    its template position: after the schema field before it that the note
    has, else before the next one, else at the top of the body; in the note's
    own style (`` `Key:` `` or ``Key::``, with the callout or list prefix of
    the line next to it; the template's `` `Key:` `` when the body has no
    fields). A note that keeps its schema fields in the frontmatter (the field
    next to the missing one in the template is a frontmatter key), or a field
    with ``location: frontmatter`` in its schema, gets the key inserted there
    instead, empty, in template order (``location: body`` keeps it in the
    body); the rest of the block is kept byte for byte and a block that does
    not parse is never edited. Missing body fields that belong at the same
    place are inserted together.
    """

    name = "missing-field"
    code = "SC01"
    summary = "A required field of the note's type is missing"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="Books/Dune.md (a book note by its folder) without an Author line",
            path=BOOK,
            bad="`Availability:` Library\n\n## Notes\n\n`Concepts:` [[Desert]]\n"
            "`Knowledge Base:` [[Books index]]\n",
            good="`Author:` Frank Herbert\n`Availability:` Library\n\n## Notes\n\n"
            "`Concepts:` [[Desert]]\n`Knowledge Base:` [[Books index]]\n",
            fixed="`Author:`\n`Availability:` Library\n\n## Notes\n\n`Concepts:` [[Desert]]\n"
            "`Knowledge Base:` [[Books index]]\n",
            unsafe=True,
        ),
        Example(
            title="Books/Dune.md with Dataview fields: the line is inserted in that style",
            path=BOOK,
            bad="Author:: Frank Herbert\nKnowledge Base:: [[Books index]]\n",
            good="Author:: Frank Herbert\nConcepts:: [[Desert]]\n"
            "Knowledge Base:: [[Books index]]\n",
            fixed="Author:: Frank Herbert\nConcepts::\nKnowledge Base:: [[Books index]]\n",
            unsafe=True,
        ),
        Example(
            title="Reading/Dune.md, a book note by its frontmatter type: the key is inserted "
            "in the frontmatter, in template order, comments kept",
            path="Reading/Dune.md",
            bad="---\ntype: book   # the template\nconcepts: '[[Desert]]'\n"
            "knowledge base: '[[Books index]]'\n---\nSpice.\n",
            good="---\ntype: book   # the template\nauthor: Frank Herbert\nconcepts: '[[Desert]]'\n"
            "knowledge base: '[[Books index]]'\n---\nSpice.\n",
            fixed="---\ntype: book   # the template\nAuthor:\nconcepts: '[[Desert]]'\n"
            "knowledge base: '[[Books index]]'\n---\nSpice.\n",
            unsafe=True,
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for state in states_for(note, ctx):
            if not any(f.spec.required and f.state == "missing" for f in state.fields):
                continue
            fixes = _missing_field_fixes(note, state.fields)
            for i, field in enumerate(state.fields):
                if field.spec.required and field.state == "missing":
                    yield self.finding(
                        note,
                        0,
                        0,
                        f"{state.schema.name} note has no '{field.spec.name}' field",
                        fixes.get(i),
                    )


class EmptyField(Rule):
    """Report a required field that is present but empty.

    A value is empty when it is only whitespace or a lone ``-`` (a template
    placeholder). Reported on the field's line. There is no fix: a value is
    never invented.
    """

    name = "empty-field"
    code = "SC02"
    summary = "A required field of the note's type is empty"
    severity = Severity.WARNING
    examples = (
        Example(
            title="Books/Dune.md with an empty Concepts line",
            path=BOOK,
            bad="`Author:` Frank Herbert\n`Concepts:`\n`Knowledge Base:` [[Books index]]\n",
            good="`Author:` Frank Herbert\n`Concepts:` [[Desert]]\n"
            "`Knowledge Base:` [[Books index]]\n",
        ),
        Example(
            title="Reading/Dune.md, tagged book: an empty key and a lone dash",
            path="Reading/Dune.md",
            bad="---\ntags: [book]\nauthor:\n---\nConcepts:: -\nKnowledge Base:: [[Books index]]\n",
            good="---\ntags: [book]\nauthor: Frank Herbert\n---\nConcepts:: [[Desert]]\n"
            "Knowledge Base:: [[Books index]]\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for state in states_for(note, ctx):
            for field in state.fields:
                entry = field.entry
                if field.spec.required and field.state == "empty" and entry is not None:
                    yield self.finding(
                        note,
                        entry.start,
                        entry.end,
                        f"'{field.spec.name}' is empty (required in a {state.schema.name} note)",
                    )


class MissingSection(Rule):
    """Report a required section that a note of a schema's type does not have.

    Headings match section names ignoring case, surrounding spaces,
    emphasis (``## **Quotes**``) and an outline number (``## 2. Quotes``),
    at any level unless the schema sets ``level``. Reported at line 1. The
    unsafe fix inserts the empty heading at its template position: after the
    section before it that the note has (above the field lines that end it),
    else before the next one, else at the end; at the schema's level, else
    the level of that neighbour.
    """

    name = "missing-section"
    code = "SC03"
    summary = "A required section of the note's type is missing"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="Books/Dune.md without Quotes between Key Takeaways and Notes",
            path=BOOK,
            bad="## Key Takeaways\n- Fear is the mind-killer.\n\n## Notes\nReread.\n",
            good="## Key Takeaways\n- Fear is the mind-killer.\n\n## Quotes\n- I must not fear.\n\n"
            "## Notes\nReread.\n",
            fixed="## Key Takeaways\n- Fear is the mind-killer.\n\n## Quotes\n\n"
            "## Notes\nReread.\n",
            unsafe=True,
        ),
        Example(
            title="Books/Dune.md: a missing last section goes above the field lines",
            path=BOOK,
            bad="## Key Takeaways\n- Fear.\n\n## Quotes\n- Fear.\n\n`Concepts:` [[Desert]]\n",
            good="## Key Takeaways\n- Fear.\n\n## Quotes\n- Fear.\n\n## Notes\nReread.\n\n"
            "`Concepts:` [[Desert]]\n",
            fixed="## Key Takeaways\n- Fear.\n\n## Quotes\n- Fear.\n\n## Notes\n\n"
            "`Concepts:` [[Desert]]\n",
            unsafe=True,
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for state in states_for(note, ctx):
            fixes = _missing_section_fixes(note, state.sections)
            for i, section in enumerate(state.sections):
                if section.spec.required and section.state == "missing":
                    yield self.finding(
                        note,
                        0,
                        0,
                        f"{state.schema.name} note has no '{section.spec.name}' section",
                        fixes.get(i),
                    )


class EmptySection(Rule):
    """Report a required section that has no content.

    Nothing under the heading, down to the next heading of the same or a
    higher level (subsections included, and for a heading inside a callout
    only the callout), is content: blank lines, lone list markers (``-``,
    ``1.``, ``- [ ]``), empty callout lines, thematic breaks, subsection
    headings, ``%%`` and HTML comments and the lines holding the note's
    fields (template footers like `` `Concepts:` `` under ``## Notes``) do
    not count; code blocks and embeds do. Reported on the heading's line.
    There is no fix: content is never invented.
    """

    name = "empty-section"
    code = "SC04"
    summary = "A required section of the note's type has no content"
    severity = Severity.WARNING
    examples = (
        Example(
            title="Books/Dune.md: Key Takeaways directly above Quotes, Quotes a lone dash",
            path=BOOK,
            bad="## Key Takeaways\n## Quotes\n- \n\n## Notes\nReread.\n",
            good="## Key Takeaways\n- Fear.\n\n## Quotes\n- I must not fear.\n\n"
            "## Notes\nReread.\n",
        ),
        Example(
            title="Books/Dune.md: a callout ends its section; field lines are not content",
            path=BOOK,
            bad="> [!info]\n> ## Key Takeaways\n>\n> -\nText below the callout.\n\n## Quotes\n"
            "- Fear.\n\n## Notes\n\n`Concepts:` [[Desert]]\n",
            good="> [!info]\n> ## Key Takeaways\n> - Fear.\n\n## Quotes\n- Fear.\n\n## Notes\n"
            "Reread.\n`Concepts:` [[Desert]]\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for state in states_for(note, ctx):
            for section in state.sections:
                heading = section.heading
                if section.spec.required and section.state == "empty" and heading is not None:
                    yield self.finding(
                        note,
                        heading.start,
                        heading.end,
                        f"section '{section.spec.name}' is empty "
                        f"(required in a {state.schema.name} note)",
                    )


class FieldValue(Rule):
    """Report a field value that breaks its schema's ``links``, ``pattern``, ``enum`` or ``type``.

    ``links``: the value must hold a link. ``pattern``: a regular expression
    searched in the value. ``enum``: one of the allowed values (ignoring
    case). ``type``: ``number``, ``date`` (ISO 8601), ``url``, ``checkbox``
    (``true``/``false``), ``datetime`` (``YYYY-MM-DDTHH:mm[:ss]``), ``list``
    (or ``multitext``), ``tags`` (tag names, no ``#``, no space) or
    ``aliases``. For a list (a frontmatter list, or a body field of a list
    type split at commas) each item is checked. The message names the check and shows
    the value. Empty values are left to ``empty-field``.
    """

    name = "field-value"
    code = "SC05"
    summary = "A field value breaks its schema (links, pattern, enum or type)"
    severity = Severity.WARNING
    examples = (
        Example(
            title="Books/Dune.md: Concepts must link to notes",
            path=BOOK,
            bad="`Concepts:` Desert, Ecology\n",
            good="`Concepts:` [[Desert]], [[Ecology]]\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for state in states_for(note, ctx):
            for problem in state.problems:
                entry = problem.entry
                yield self.finding(note, entry.value_start, entry.value_end, problem.message)


class SectionOrder(Rule):
    """Report sections that are out of the order of the note type's template.

    The sections outside the longest run in template order are reported, on
    their heading line, so one misplaced section gives one finding. Off by
    default: many vaults reorder sections on purpose.
    """

    name = "section-order"
    code = "SC06"
    summary = "Sections out of the note type's template order"
    severity = Severity.WARNING
    enabled = False
    examples = (
        Example(
            title="Books/Dune.md: Notes above Key Takeaways",
            path=BOOK,
            bad="## Notes\nReread.\n\n## Key Takeaways\n- Fear.\n\n## Quotes\n- Fear.\n",
            good="## Key Takeaways\n- Fear.\n\n## Quotes\n- Fear.\n\n## Notes\nReread.\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for state in states_for(note, ctx):
            if not state.misordered:
                continue
            order = ", ".join(s.spec.name for s in state.sections)
            for section in state.misordered:
                heading = section.headings[0]
                yield self.finding(
                    note,
                    heading.start,
                    heading.end,
                    f"section '{section.spec.name}' is out of {state.schema.name} template "
                    f"order ({order})",
                )


# --- fixes ------------------------------------------------------------------------------


def _missing_field_fixes(note: Note, fields: Sequence[FieldState]) -> dict[int, Fix]:
    """Unsafe fixes for the missing required fields, by their index in the schema.

    Fields that go to the same place share one fix inserting all of them, so
    that any number of them is inserted in one pass of the fixer.
    """
    present = [i for i, f in enumerate(fields) if f.entries]
    body = [e for e in note.fields if e.source != "frontmatter"]
    fixes: dict[int, Fix] = {}
    groups: dict[tuple[int, bool], list[str]] = {}
    members: dict[tuple[int, bool], list[int]] = {}
    for i, field in enumerate(fields):
        if not (field.spec.required and field.state == "missing"):
            continue
        before = [j for j in present if j < i]
        after = [j for j in present if j > i]
        anchor: FieldEntry | None = None
        style: str
        if before:
            anchor, below = fields[before[-1]].entries[-1], True
        elif after:
            anchor, below = fields[after[0]].entries[0], False
        location = field.spec.location
        in_frontmatter = anchor is not None and anchor.source == "frontmatter"
        if location == "frontmatter" or (location is None and in_frontmatter):
            fix = _frontmatter_insert(note, fields, i)
            if fix is not None:
                fixes[i] = fix
            continue
        if anchor is not None and anchor.source == "frontmatter":
            anchor = None  # location: body, the neighbour in the frontmatter: the body's top
        if anchor is not None:
            line_start, line_end = note.line_span(anchor.line)
            at = line_end if below else line_start
            prefix_match = _LINE_PREFIX.match(note.text, line_start, line_end)
            prefix = prefix_match.group() if prefix_match else ""
            style = anchor.source
        else:  # none of the schema's fields: the style of the body's other fields, if any
            style = body[0].source if body else "inline-code"
            at, below, prefix = note.body_start, False, ""
        name = field.spec.name
        line = f"{prefix}`{name}:`" if style == "inline-code" else f"{prefix}{name}::"
        groups.setdefault((at, below), []).append(line)
        members.setdefault((at, below), []).append(i)
    text = note.lf_text
    for (at, below), lines in groups.items():
        if _lands_in_protected(note, at):
            continue  # the field would be code or a comment: never found, inserted forever
        block = "\n".join(lines)
        if below:
            insert = "\n" + block
        else:
            lead = "\n" if at > 0 and text[at - 1] != "\n" else ""
            insert = lead + block + "\n"
            if _joins_a_paragraph(note, at):
                insert += "\n"
        fix = Fix((Edit(at, at, insert),), safe=False)
        for i in members[(at, below)]:
            fixes[i] = fix
    return fixes


def _frontmatter_insert(note: Note, fields: Sequence[FieldState], i: int) -> Fix | None:
    """The unsafe fix inserting the ``i``-th field, empty, as a frontmatter key: after
    the frontmatter key of the schema field before it, else before that of the
    next one, else at the end of the block (a new block when the note has none)."""
    name = fields[i].spec.name
    fm = note.frontmatter
    if fm is None:
        return Fix((Edit(0, 0, f"---\n{name}:\n---\n"),), safe=False)
    found = editor(note)
    if found is None:
        return None  # invalid YAML, not a mapping, aliases: never edited
    keys = [str(k).strip() for k, _, _ in found.entries]

    def place(j: int, last: bool) -> int | None:
        entries = [e for e in fields[j].entries if e.source == "frontmatter"]
        if not entries:
            return None
        key = entries[-1 if last else 0].key
        return keys.index(key) + (1 if last else 0) if key in keys else None

    at = next((p for j in range(i - 1, -1, -1) if (p := place(j, True)) is not None), None)
    if at is None:
        after = range(i + 1, len(fields))
        at = next((p for j in after if (p := place(j, False)) is not None), len(keys))
    edits = found.insert_key(name, None, at)
    return Fix(edits, safe=False) if edits else None


def _missing_section_fixes(note: Note, sections: Sequence[SectionState]) -> dict[int, Fix]:
    """Unsafe fixes for the missing required sections, by their index in the schema."""
    present = [i for i, s in enumerate(sections) if s.headings]
    groups: dict[int, list[str]] = {}
    members: dict[int, list[int]] = {}
    for i, section in enumerate(sections):
        if not (section.spec.required and section.state == "missing"):
            continue
        before = [j for j in present if j < i]
        after = [j for j in present if j > i]
        anchor: Heading | None = None
        if before:
            anchor = sections[before[-1]].headings[0]
            at = _after_section(note, anchor)
        elif after:
            anchor = sections[after[0]].headings[0]
            at = _before_heading(note, anchor)
        else:
            at = len(note.text)
        level = section.spec.level or (anchor.level if anchor is not None else 2)
        groups.setdefault(at, []).append("#" * level + " " + section.spec.name)
        members.setdefault(at, []).append(i)
    fixes: dict[int, Fix] = {}
    text = note.lf_text
    for at, lines in groups.items():
        if _lands_in_protected(note, at):
            continue  # the heading would be code or a comment: never found, inserted forever
        if at > 0 and text[at - 1] != "\n":
            lead = "\n\n"
        elif at > 0 and text[text.rfind("\n", 0, at - 1) + 1 : at].strip():
            lead = "\n"
        else:
            lead = ""
        trail = "\n\n" if at < len(text) else "\n"
        fix = Fix((Edit(at, at, lead + "\n\n".join(lines) + trail),), safe=False)
        for i in members[at]:
            fixes[i] = fix
    return fixes


def _joins_a_paragraph(note: Note, at: int) -> bool:
    """Whether the line at ``at`` would change meaning below an inserted field line.

    Indented code would become the paragraph's continuation, and a ``---`` or
    ``===`` line would make the field lines a setext heading.
    """
    region = note.region_at(at)
    if region is not None and region.start == at and region.kind == "indented-code":
        return True
    return _SETEXT_UNDERLINE.match(note.lf_text, at) is not None


def _lands_in_protected(note: Note, at: int) -> bool:
    """Whether text inserted at ``at`` would land in code, math or a comment.

    That is: strictly inside a protected region, or at the very end after a
    fence, comment or frontmatter that is never closed (it runs to the end and
    takes in whatever is appended).
    """
    region = note.region_at(at)
    if region is not None and region.start < at:
        return True
    last = note.regions[-1] if note.regions else None
    if last is None or at != len(note.text) or last.end != at or last.start >= at:
        return False
    if last.kind == "frontmatter":
        return note.frontmatter is not None and not note.frontmatter.closed
    if last.kind not in ("fence", "comment", "html-comment", "html"):
        return False
    probe = parse_note(note.path, note.text + "\nx")
    return any(r.start == last.start and r.end > at for r in probe.regions)


def _after_section(note: Note, heading: Heading) -> int:
    """Where a section after ``heading``'s goes: its end, above trailing field lines."""
    end = heading.section_end
    text = note.text
    field_lines = {
        f.line
        for f in note.fields
        if f.source != "frontmatter" and f.start == note.line_starts[f.line - 1]
    }
    at = end
    line = note.line_of(end - 1) if end > heading.end else heading.line
    while True:
        start, stop = note.line_span(line)
        if start <= heading.end:
            break
        content = text[start:stop]
        if content.strip() and (line not in field_lines or content.lstrip().startswith(">")):
            break
        if content.strip():
            at = start  # a field line: the new section goes above it
        line -= 1
    return at


def _before_heading(note: Note, heading: Heading) -> int:
    """Where a section before ``heading`` goes: its line, or the start of its callout."""
    text = note.lf_text
    at = heading.start
    if heading.quote_depth:
        while at > note.body_start:
            previous = text.rfind("\n", 0, at - 1) + 1
            if not text[previous:at].lstrip(" ").startswith(">"):
                break
            at = previous
    return at
