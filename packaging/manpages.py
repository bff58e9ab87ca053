#!/usr/bin/env python3
"""Render certhook's man pages from the ArgumentParser definitions.

Reads `certhook --experimental-dump-help` (ArgumentParser's ToolInfo JSON, serialization version 0) on
stdin and writes one man(7) page per command: certhook.1, certhook-scan.1, certhook-deploy-hook.1, ...
Every name, abstract, discussion, option, value and default comes from the parser, so the pages cannot
drift from the binary. Hidden commands and options (shouldDisplay false) are left out.

Usage: certhook --experimental-dump-help | python3 manpages.py --version 0.1.0 --out DIR
"""
import argparse
import json
import sys

SEE_ALSO_DOCS = "/usr/share/doc/certhook"
# Where the Debian package puts things (the tarball uses the same paths under /usr/local).
FILES = [
    ("/etc/certhook/config.yaml", "the configuration (CERTHOOK_CONFIG or --config name another)"),
    ("/etc/certhook/credentials.env", "optional ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET for the certbot hook and the sync unit (mode 0600)"),
    ("/var/lib/certhook/state.json", "the state cache (folder mode 0700)"),
    ("/usr/lib/certhook/", "the hooks ACME clients call: certhook-deploy (certbot), certhook-lego-hook, certhook-dehydrated-hook, certhook-uacme, acme.sh/certhook.sh"),
    ("/lib/systemd/system/certhook-sync.timer", "the reconcile timer (not enabled by the package)"),
]


def escape(text):
    """Escape text for roff: backslashes, and a leading dot or quote that roff would read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def flag_name(name):
    prefix = "--" if name["kind"] == "long" else "-"
    return prefix + name["name"]


def synopsis_item(argument):
    """One argument as the SYNOPSIS shows it: [--opt <value>], <path> ..."""
    if argument["kind"] == "positional":
        text = "<%s>" % argument.get("valueName", "value")
    else:
        name = flag_name(argument.get("preferredName") or argument["names"][0])
        text = name if argument["kind"] == "flag" else "%s <%s>" % (name, argument.get("valueName", "value"))
    if argument.get("isRepeating"):
        text += " ..."
    if argument.get("isOptional"):
        text = "[%s]" % text
    return text


def option_entry(argument):
    """The .TP entry of one argument in OPTIONS."""
    if argument["kind"] == "positional":
        head = "\\fI<%s>\\fR" % escape(argument.get("valueName", "value"))
    else:
        names = [escape(flag_name(n)) for n in argument.get("names", [])]
        value = "" if argument["kind"] == "flag" else " \\fI<%s>\\fR" % escape(argument.get("valueName", "value"))
        head = ", ".join("\\fB%s\\fR" % n for n in names) + value
    body = [escape(argument.get("abstract", ""))]
    if argument.get("allValues"):
        body.append("Values: %s." % escape(", ".join(argument["allValues"])))
    if argument.get("defaultValue") not in (None, ""):
        body.append("Default: %s." % escape(argument["defaultValue"]))
    if argument.get("discussion"):
        discussion = argument["discussion"]
        if isinstance(discussion, dict):
            discussion = discussion.get("staticText") or ""
        body.append(escape(str(discussion)))
    return ".TP\n%s\n%s\n" % (head, " ".join(b for b in body if b).strip() or "\\&")


def visible(items):
    """What the parser shows: hidden items and ArgumentParser's own `help` subcommand are left out."""
    return [item for item in items or [] if item.get("shouldDisplay", True) and item.get("commandName") != "help"]


def page(command, parents, version, out):
    path = parents + [command["commandName"]]
    page_name = "-".join(path)
    full = " ".join(path)
    arguments = visible(command.get("arguments"))
    subcommands = visible(command.get("subcommands"))
    lines = [
        '.TH "%s" "1" "" "certhook %s" "certhook manual"' % (page_name.upper(), version),
        ".SH NAME",
        "%s \\- %s" % (escape(page_name), escape(command.get("abstract", ""))),
        ".SH SYNOPSIS",
    ]
    items = " ".join(escape(synopsis_item(a)) for a in arguments)
    if subcommands:
        lines.append(".B %s\n\\fI<subcommand>\\fR\n.br" % escape(full))
    lines.append(".B %s\n%s" % (escape(full), items) if items else ".B %s" % escape(full))
    description = command.get("abstract", "")
    if command.get("discussion"):
        description += "\n.PP\n" + command["discussion"]
    lines += [".SH DESCRIPTION", escape(description) if "\n.PP\n" not in description else
              "\n.PP\n".join(escape(part) for part in description.split("\n.PP\n"))]
    if subcommands:
        lines.append(".SH COMMANDS")
        for sub in subcommands:
            lines.append(".TP\n\\fB%s\\fR\n%s\nSee \\fB%s\\fR(1)." % (
                escape(sub["commandName"]), escape(sub.get("abstract", "")), escape("-".join(path + [sub["commandName"]]))))
    if arguments:
        lines.append(".SH OPTIONS")
        lines += [option_entry(a).rstrip("\n") for a in arguments]
    if not parents:
        lines.append(".SH FILES")
        for name, meaning in FILES:
            lines.append(".TP\n\\fI%s\\fR\n%s" % (escape(name), escape(meaning)))
    see_also = ["\\fB%s\\fR(1)" % escape("-".join(path + [s["commandName"]])) for s in subcommands]
    if parents:
        see_also.insert(0, "\\fB%s\\fR(1)" % escape("-".join(parents)))
    lines.append(".SH SEE ALSO")
    lines.append(", ".join(see_also + ["the guides in \\fI%s\\fR" % SEE_ALSO_DOCS]) + ".")
    with open("%s/%s.1" % (out, page_name), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    written = [page_name]
    for sub in subcommands:
        written += page(sub, path, version, out)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    info = json.load(sys.stdin)
    if info.get("serializationVersion") != 0 or "command" not in info:
        sys.exit("manpages.py: stdin is not ArgumentParser ToolInfo version 0 (certhook --experimental-dump-help)")
    written = page(info["command"], [], options.version, options.out)
    print("manpages.py: %d pages: %s" % (len(written), ", ".join(written)), file=sys.stderr)


if __name__ == "__main__":
    main()
