"""LMS packages: cmi5 (cmi5.xml + the player) and SCORM 1.2 (imsmanifest.xml + the player).

Both zips hold one `index.html`: the same self-contained player as `--format html`, with an
adapter script that reports to the LMS (`cmi5.js`: xAPI statements to the LRS named by the
launch URL; `scorm12.js`: the SCORM 1.2 run-time API found on a parent window). The overall
posture percent is the score; the run passes when it reaches the mastery score.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sam_cowboy.core.safe_text import one_line
from sam_cowboy.export.compile import xapi_extensions
from sam_cowboy.export.html import asset, build_html
from sam_cowboy.usage import UsageError

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
IMSCP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# Ids derived from an episode id when no --iri-base is given: urn:uuid is a registered IRI
# scheme (RFC 4122), so no made-up domain is needed.
IRI_NAMESPACE = uuid.UUID("0b6c6f3e-2d4a-5c8e-9f10-5a3c0b0e0c15")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# A fixed date for every zip entry: the same episode exports to the same bytes.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class IriError(ValueError):
    """--iri-base is not an absolute IRI."""


def iris(episode_id: str, base: str | None) -> tuple[str, str]:
    """(course id, AU id) for cmi5.xml."""
    if base is None:
        return (f"urn:uuid:{uuid.uuid5(IRI_NAMESPACE, 'course:' + episode_id)}",
                f"urn:uuid:{uuid.uuid5(IRI_NAMESPACE, 'au:' + episode_id)}")
    if not _SCHEME.match(base) or any(c in base for c in "<>\"{}|\\^`"):
        raise IriError(f"`{base}` is not an absolute IRI (like https://lms.example.org/courses/)")
    if not base.endswith(("/", ":", "#")):
        base += "/"
    return f"{base}episodes/{episode_id}", f"{base}episodes/{episode_id}/au"


def _texts(parent: ET.Element, tag: str, text: dict[str, str] | None, fallback: str,
           ns: str) -> None:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}")
    for lang, value in (text or {"en": fallback}).items():
        ls = ET.SubElement(element, f"{{{ns}}}langstring", {"lang": lang})
        ls.text = one_line(value) or fallback


def cmi5_xml(data: dict[str, Any], base: str | None) -> str:
    course_id, au_id = iris(data["id"], base)
    ET.register_namespace("", CMI5_NS)
    root = ET.Element(f"{{{CMI5_NS}}}courseStructure")
    course = ET.SubElement(root, f"{{{CMI5_NS}}}course", {"id": course_id})
    description = data["summary"] or data["title"]
    _texts(course, "title", data["title"], data["id"], CMI5_NS)
    _texts(course, "description", description, data["id"], CMI5_NS)
    au = ET.SubElement(root, f"{{{CMI5_NS}}}au", {
        "id": au_id, "moveOn": "CompletedAndPassed",
        "masteryScore": f"{data['mastery'] / 100:.2f}", "launchMethod": "AnyWindow"})
    _texts(au, "title", data["title"], data["id"], CMI5_NS)
    _texts(au, "description", description, data["id"], CMI5_NS)
    ET.SubElement(au, f"{{{CMI5_NS}}}url").text = "index.html"
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def scorm12_manifest(data: dict[str, Any]) -> str:
    ET.register_namespace("", IMSCP_NS)
    ET.register_namespace("adlcp", ADLCP_NS)
    ET.register_namespace("xsi", XSI_NS)
    # IMS CP 1.1.2 titleType: at most 200 characters
    title = (one_line(next(iter(data["title"].values()), "")) or data["id"])[:200]
    root = ET.Element(f"{{{IMSCP_NS}}}manifest", {
        "identifier": f"sam-cowboy-{data['id']}", "version": "1.0",
        f"{{{XSI_NS}}}schemaLocation": (
            f"{IMSCP_NS} imscp_rootv1p1p2.xsd {ADLCP_NS} adlcp_rootv1p2.xsd")})
    metadata = ET.SubElement(root, f"{{{IMSCP_NS}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP_NS}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP_NS}}}schemaversion").text = "1.2"
    organizations = ET.SubElement(root, f"{{{IMSCP_NS}}}organizations", {"default": "org-1"})
    organization = ET.SubElement(organizations, f"{{{IMSCP_NS}}}organization",
                                 {"identifier": "org-1"})
    ET.SubElement(organization, f"{{{IMSCP_NS}}}title").text = title
    item = ET.SubElement(organization, f"{{{IMSCP_NS}}}item", {
        "identifier": "item-1", "identifierref": "resource-1", "isvisible": "true"})
    ET.SubElement(item, f"{{{IMSCP_NS}}}title").text = title
    ET.SubElement(item, f"{{{ADLCP_NS}}}masteryscore").text = str(data["mastery"])
    resources = ET.SubElement(root, f"{{{IMSCP_NS}}}resources")
    resource = ET.SubElement(resources, f"{{{IMSCP_NS}}}resource", {
        "identifier": "resource-1", "type": "webcontent", f"{{{ADLCP_NS}}}scormtype": "sco",
        "href": "index.html"})
    ET.SubElement(resource, f"{{{IMSCP_NS}}}file", {"href": "index.html"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def cmi5_package(data: dict[str, Any], base: str | None = None) -> bytes:
    if base is not None:  # the commitment's extensions under --iri-base, as the report's
        course_id, _ = iris(data["id"], base)
        root = course_id[: -len(f"episodes/{data['id']}")]
        data = {**data, "transfer": {**data["transfer"], "xapi": xapi_extensions(root)}}
    # The LRS is wherever the LMS says at launch: connect-src cannot be narrowed here.
    page = build_html(data, (asset("cmi5.js"),), connect="*")
    return _zip({"cmi5.xml": cmi5_xml(data, base), "index.html": page})


def scorm12_package(data: dict[str, Any]) -> bytes:
    page = build_html(data, (asset("scorm12.js"),))
    return _zip({"imsmanifest.xml": scorm12_manifest(data), "index.html": page})


def write_bytes(path: Path, blob: bytes) -> None:
    """Write `blob` to `path` all or nothing (temp file + rename), as cli.write_output does
    for text; a failure is a usage error."""
    for folder in path.parents:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"cannot write {path}: {folder} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
