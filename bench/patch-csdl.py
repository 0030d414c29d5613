#!/usr/bin/env python3
"""Minimal patches to a CSDL (OData v4 $metadata) document so that peer generators can read it.

    bench/patch-csdl.py IN OUT PATCH...

PATCH is one or more of:
  fill-empty-enums     give every <EnumType> without a <Member> one member, unknownFutureValue = 0
                       (odata2ts 0.34.0 crashes on member-less enum types: `et.Member.map` on
                       undefined)
  drop-path-bindings   remove every <NavigationPropertyBinding> whose Target contains "/" (a path
                       through a singleton or a containment, e.g. Target="policies/appManagementPolicies");
                       the SAP generator resolves a Target as an entity set name only ("Failed to find
                       the entity from the service")
  rename-same-name-types
                       give the enum and complex types whose Name is also used by a type of the same
                       kind in another namespace a unique Name (NAMESPACESEGMENT_Name; the first one in
                       document order keeps its name) and rewrite the attributes that refer to them
                       (Type="…", Annotations Target="…"); the SAP generator names enum and complex
                       types by their unqualified Name, so both get the same file ("A source file
                       already exists at …/Modality_1.ts")
  rename-reserved-word-types
                       give the entity, complex, enum types and type definitions named by a reserved
                       word of JavaScript (Graph v1.0: `case`) the Name `word_` and rewrite the
                       references; odata2ts keeps model names as they are, and `interface case` does
                       not parse ("Inserting syntax kind of InterfaceDeclaration, but
                       ExpressionStatement was inserted")

The document is read and written with a real XML parser (xml.etree); namespace prefixes are kept,
comments and formatting are not. For each patch, prints one line `PATCH COUNT` (elements touched)
on stdout. Fails when a patch touches nothing, or when the element counts of the output differ
from the input by anything but the patched elements.
"""
import collections
import re
import sys
import xml.etree.ElementTree as ET

EDM = "http://docs.oasis-open.org/odata/ns/edm"
PATCHES = ("fill-empty-enums", "drop-path-bindings", "rename-same-name-types", "rename-reserved-word-types")


def fail(msg):
    print(f"patch-csdl.py: {msg}", file=sys.stderr)
    sys.exit(1)


def count_tags(root):
    return collections.Counter(el.tag for el in root.iter())


def fill_empty_enums(root):
    n = 0
    for enum in root.iter(f"{{{EDM}}}EnumType"):
        if enum.find(f"{{{EDM}}}Member") is None:
            member = ET.Element(f"{{{EDM}}}Member", {"Name": "unknownFutureValue", "Value": "0"})
            enum.insert(0, member)  # before any <Annotation>
            n += 1
    return n, collections.Counter({f"{{{EDM}}}Member": n})


def drop_path_bindings(root):
    n = 0
    for parent in root.iter():
        for b in list(parent.findall(f"{{{EDM}}}NavigationPropertyBinding")):
            if "/" in b.get("Target", ""):
                parent.remove(b)
                n += 1
    return n, collections.Counter({f"{{{EDM}}}NavigationPropertyBinding": -n})


TYPE_KINDS = tuple(f"{{{EDM}}}{k}" for k in ("EntityType", "ComplexType", "EnumType", "TypeDefinition"))
# Reserved words of JavaScript after which TypeScript does not parse `interface WORD {}` as an
# interface (the strict-mode-only ones, such as `package`, still parse).
RESERVED = set(
    "break case catch class const continue debugger default delete do else enum export extends false finally for "
    "function if import in instanceof new null return super switch this throw true try typeof var void while "
    "with".split()
)


def rename_same_name_types(root):
    by_name = collections.defaultdict(list)  # (kind, Name) -> [(schema, element)]
    for schema in root.iter(f"{{{EDM}}}Schema"):
        for el in schema:
            if el.tag in (f"{{{EDM}}}EnumType", f"{{{EDM}}}ComplexType"):
                by_name[(el.tag, el.get("Name"))].append((schema, el))
    picks = []
    for (_, name), defs in by_name.items():
        for schema, el in defs[1:]:
            picks.append((schema, el, f"{schema.get('Namespace').rsplit('.', 1)[-1]}_{name}"))
    return rename_types(root, picks)


def rename_reserved_word_types(root):
    picks = []
    for schema in root.iter(f"{{{EDM}}}Schema"):
        for el in schema:
            if el.tag in TYPE_KINDS and el.get("Name") in RESERVED:
                picks.append((schema, el, el.get("Name") + "_"))
    return rename_types(root, picks)


def rename_types(root, picks):
    """Renames each (schema, type element, new Name) and rewrites the attributes and texts that refer
    to it by qualified name (namespace or alias). Returns the number of renamed types plus the number
    of elements whose references changed."""
    taken = {(s.get("Namespace"), el.get("Name")) for s in root.iter(f"{{{EDM}}}Schema") for el in s if el.get("Name")}
    renames = {}  # qualified old name (namespace or alias) -> qualified new name
    for schema, el, new in picks:
        ns, alias, name = schema.get("Namespace"), schema.get("Alias"), el.get("Name")
        if (ns, new) in taken:
            fail(f"cannot rename {ns}.{name}: {ns}.{new} exists")
        taken.add((ns, new))
        el.set("Name", new)
        for q in (ns, alias):
            if q:
                renames[f"{q}.{name}"] = f"{q}.{new}"
    if not renames:
        return 0, collections.Counter()
    # A qualified name as a whole token: not preceded by a name character or dot, not followed by a
    # name character or dot (so "ns.identity" does not match "ns.identitySet"); "/", ")" may follow.
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(q) for q in sorted(renames, key=len, reverse=True)) + r")(?![\w.])")
    n_refs = 0
    for el in root.iter():
        hit = False
        for k, v in el.attrib.items():
            if k == "Name":
                continue
            nv = pattern.sub(lambda m: renames[m.group(1)], v)
            if nv != v:
                el.set(k, nv)
                hit = True
        if el.text and pattern.search(el.text):
            el.text = pattern.sub(lambda m: renames[m.group(1)], el.text)
            hit = True
        n_refs += hit
    print(f"  {len(picks)} type{'' if len(picks) == 1 else 's'} renamed ({', '.join(sorted(e.get('Name') for _, e, _ in picks))}), "
          f"{n_refs} referring elements rewritten", file=sys.stderr)
    return len(picks) + n_refs, collections.Counter()


def main(argv):
    if len(argv) < 4:
        fail(f"usage: {argv[0]} IN OUT PATCH... (PATCH: {', '.join(PATCHES)})")
    src, dst, patches = argv[1], argv[2], argv[3:]
    for p in patches:
        if p not in PATCHES:
            fail(f"unknown patch {p!r} (known: {', '.join(PATCHES)})")
    # Keep the document's own prefixes (edmx:, and edm as the default namespace).
    for _, (prefix, uri) in ET.iterparse(src, events=("start-ns",)):
        ET.register_namespace(prefix, uri)
    try:
        tree = ET.parse(src)
    except ET.ParseError as e:
        fail(f"{src}: {e}")
    root = tree.getroot()
    before = count_tags(root)
    expected = collections.Counter(before)
    for p in patches:
        n, delta = {
            "fill-empty-enums": fill_empty_enums,
            "drop-path-bindings": drop_path_bindings,
            "rename-same-name-types": rename_same_name_types,
            "rename-reserved-word-types": rename_reserved_word_types,
        }[p](root)
        if n == 0:
            fail(f"{src}: patch {p} found nothing to patch")
        expected.update(delta)  # update() adds counts, negative ones included
        print(p, n)
    after = count_tags(root)
    if any(after[t] != expected[t] for t in set(after) | set(expected)):
        fail("element counts after patching differ from the expected ones")
    tree.write(dst, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    main(sys.argv)
