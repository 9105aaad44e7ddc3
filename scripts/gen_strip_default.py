# Regenerates `impl Default for Rules` in src/strip/rules.rs from the [strip] table of
# pipelines/default.toml, with the comment above each key (run from the crate root).
import tomllib, re, sys
RULES = "src/strip/rules.rs"
src = open(RULES).read()
toml_text = open("pipelines/default.toml").read()
t = tomllib.loads(toml_text)["strip"]
# Only the [strip] table's lines: other tables reuse some key names.
start = toml_text.index("\n[strip]\n")
end = toml_text.index("\n[", start + 1)
toml_text = toml_text[start:end]
# Keep the comment above each key in the table as the Rust comment.
comments = {}
pending = []
for line in toml_text.splitlines():
    s = line.strip()
    if s.startswith("#"):
        pending.append(s[1:].strip())
    elif re.match(r"^[a-z_]+\s*=", s):
        key = s.split("=")[0].strip()
        comments[key] = pending
        pending = []
    elif s == "" or s.startswith("["):
        if s.startswith("["): pending = []
def rs_str(p):
    n = 1
    while ('"' + "#"*n) in p: n += 1
    h = "#"*n
    return f'r{h}"{p}"{h}'
lines = ["impl Default for Rules {", "    /// The shipped rules; identical to the `[strip]` table of `pipelines/default.toml` (checked by a test).", "    fn default() -> Self {", "        Rules {"]
for key, val in t.items():
    for c in comments.get(key, []):
        lines.append(f"            // {c}")
    if isinstance(val, list):
        lines.append(f"            {key}: vec![")
        for p in val:
            lines.append(f"                {rs_str(p)}.to_string(),")
        lines.append("            ],")
    elif isinstance(val, float):
        lines.append(f"            {key}: {val},")
    else:
        lines.append(f"            {key}: {val},")
lines += ["        }", "    }", "}"]
out = "\n".join(lines)
if "// @@DEFAULT@@" in src:
    src = src.replace("// @@DEFAULT@@", out)
else:
    src = re.sub(r"impl Default for Rules \{.*?\n\}\n", lambda m: out + "\n", src, flags=re.S, count=1)
open(RULES, "w").write(src)
