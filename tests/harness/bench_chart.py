"""The benchmark chart: each figure of `./selene bench` beside its target and seL4's.

write_chart(lines, path) takes the BENCH lines and writes an SVG (standard
library only): one row per figure that has a target, a bar for Selene's
value, a mark for the target and one for seL4's figure on the same QEMU
(../shared/design/PERFORMANCE.md, measured there), on a logarithmic scale so
that 30 and 30000 instructions both read. A bar is green when the figure
meets its target, red when not. Targets and seL4's figures are those of
docs/performance.md's table.
"""
import math
import re
from xml.sax.saxutils import escape

# name: (target, seL4 on the same QEMU or None); "<=" targets.
TARGETS = {
    "null_syscall": (60, 467),
    "sys_null": (40, None),
    "ntfn_poll_empty": (60, 312),
    "ipc_call_rt_xas": (250, 554),
    "ipc_call_rt_same_as": (245, 554),
    "ipc_call10_rt_xas": (400, 1886),
    "ntfn_signal_nowake": (90, 437),
    "ntfn_signal_wake_xas": (220, 612),
    "uintr_send": (40, None),
    "uintr_self_rt": (150, None),
    "uintr_pingpong_rt_xas": (500, 2706),
    "uintr_xhart_e2e": (250, None),
    "ring_msg_pair": (60, None),
    "ring_b8_rt_xas": (100, None),
    "ring_b32_rt_xas": (70, None),
    "lease_4k_rt": (1800, None),
    "window_session": (20000, None),
}

LINE = re.compile(r"^BENCH ([a-z0-9_]+) (\d+) instr$")
ROW, LEFT, WIDTH, TOP = 26, 190, 560, 50


def _x(v, lo, hi):
    """The x coordinate of value v on the log scale [lo, hi]."""
    v = max(v, lo)
    return LEFT + WIDTH * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))


def figures(lines):
    """[(name, value, target, sel4)] for the BENCH lines that have a target, in table order."""
    got = {}
    for line in lines:
        m = LINE.match(line.strip())
        if m:
            got[m.group(1)] = int(m.group(2))
    return [(n, got[n], t, s) for n, (t, s) in TARGETS.items() if n in got]


def svg(rows):
    """The chart's SVG text for figures() rows."""
    values = [v for r in rows for v in (r[1], r[2], r[3]) if v]
    lo = 10 ** math.floor(math.log10(max(1, min(values))))
    hi = 10 ** math.ceil(math.log10(max(values) + 1))
    height = TOP + ROW * len(rows) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT + WIDTH + 150}" '
           f'height="{height}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="15">Selene: instructions per operation '
           '(QEMU -icount), log scale</text>',
           '<text x="10" y="38">bar: Selene (green: meets its target); '
           '| black: target; | blue: seL4 on the same QEMU</text>']
    decade = lo
    while decade <= hi:
        x = _x(decade, lo, hi)
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" '
                   f'y2="{TOP + ROW * len(rows)}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + ROW * len(rows) + 16}" '
                   f'text-anchor="middle">{decade}</text>')
        decade *= 10
    for i, (name, value, target, sel4) in enumerate(rows):
        y = TOP + i * ROW
        colour = "#3a3" if value <= target else "#c33"
        out.append(f'<text x="{LEFT - 6}" y="{y + 15}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{LEFT}" y="{y + 4}" width="{_x(value, lo, hi) - LEFT:.1f}" '
                   f'height="{ROW - 10}" fill="{colour}"/>')
        tx = _x(target, lo, hi)
        out.append(f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + ROW - 3}" '
                   'stroke="black" stroke-width="3"/>')
        if sel4:
            sx = _x(sel4, lo, hi)
            out.append(f'<line x1="{sx:.1f}" y1="{y + 1}" x2="{sx:.1f}" y2="{y + ROW - 3}" '
                       'stroke="#36c" stroke-width="3"/>')
        label = f"{value} / {target}" + (f" / seL4 {sel4}" if sel4 else "")
        out.append(f'<text x="{LEFT + WIDTH + 6}" y="{y + 15}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_chart(lines, path):
    """Writes the chart of the BENCH lines to path; the number of figures drawn."""
    rows = figures(lines)
    if not rows:
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg(rows))
    return len(rows)
