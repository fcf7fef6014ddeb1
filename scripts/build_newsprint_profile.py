#!/usr/bin/env python3
"""Build the default output profile, styles/profiles/newsprint-tr002-tac240.icc, from published data.

The printing condition is coldset offset on newsprint — ANSI CGATS/SNAP TR 002-2007, "Color
Characterization Data for Coldset Printing on Newsprint" (IT8.7/3, 928 patches, D50/2°, the average
of 102 US newspapers; solids and tone value increase close to ISO 12647-3 / IFRA26). Debian's
icc-profiles-free ships the data as /usr/share/color/icc/TR002.ti3, which says: "Profiles, or other
derivative work, based on these data may be distributed with no further permissions from CGATS.
However, this Technical Report must be identified as the source of the characterization data" — the
profile's copyright tag names it.

ArgyllCMS's colprof builds the profile: total ink 236 % (the interpolated tables then stay within the
house style's 240 %), black up to 95 %, maximum black generation (neutral greys print on K, as a
newspaper press wants), perceptual tables for sRGB pictures. Everything colprof writes is the same
from run to run but the header's creation date, which is fixed here.

    apt-get install argyll icc-profiles-free
    python3 scripts/build_newsprint_profile.py          # about a minute; prints the sha256 to pin

The profile is committed (the engine needs no ArgyllCMS); this script says how it was made and
rebuilds it. A plant replaces it with its own profile in styles/broadsheet.yaml → print.output_profile.
"""
from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path("/usr/share/color/icc/TR002.ti3")
DATA_SHA256 = "bcb14f76be42ebaa53cebdea3ae532af4c7717e7429d279323f7db8ad4a0b9d0"   # icc-profiles-free 2.0.1+dfsg-1.1
SRGB = Path("/usr/share/color/argyll/ref/sRGB.icm")
OUT = Path(__file__).resolve().parent.parent / "styles" / "profiles" / "newsprint-tr002-tac240.icc"
CREATED = (2007, 1, 1, 0, 0, 0)      # the header's date: the data's year, so every build is the same

DESCRIPTION = "Newsprint coldset TR002 TAC240 maxK (ArgyllCMS)"
MODEL = "Coldset offset on newsprint, ANSI CGATS/SNAP TR 002-2007 data"
MANUFACTURER = "ArgyllCMS colprof build"
COPYRIGHT = ("Built from ANSI CGATS/SNAP TR 002-2007 characterization data (Copyright 2007 NPES); "
             "no copyright claimed on this build")
COLPROF = ["-qm",            # medium quality tables
           "-l236",          # total ink limit, below 240 % so that interpolation stays within it
           "-L95",           # black ink limit
           "-kx",            # maximum black generation: neutrals on K
           "-Zm", "-Zp",     # matte media; perceptual as the default intent
           "-nc",            # no copy of the measurement data inside the profile
           "-S", str(SRGB),  # source gamut of the perceptual tables: sRGB pictures
           "-cmt", "-dpp"]   # viewing conditions: monitor → practical reflection print


def main() -> None:
    if shutil.which("colprof") is None or not DATA.is_file():
        sys.exit("needs ArgyllCMS and the TR 002 data: apt-get install argyll icc-profiles-free")
    raw = DATA.read_bytes()
    if hashlib.sha256(raw).hexdigest() != DATA_SHA256:
        sys.exit(f"{DATA} is not the data this profile was built from (another icc-profiles-free version?)")
    # colprof reads ASCII with LF line ends; the file has CRLF and one cp1252 dash in a comment.
    text = raw.decode("cp1252").replace("\r\n", "\n").replace("\u2014", "-")
    with tempfile.TemporaryDirectory(prefix="newsprint-") as work:
        Path(work, "newsprint.ti3").write_text(text, encoding="ascii", newline="\n")
        subprocess.run(["colprof", "-A", MANUFACTURER, "-M", MODEL, "-D", DESCRIPTION, "-C", COPYRIGHT, *COLPROF,
                        "newsprint"], cwd=work, check=True, stdout=subprocess.DEVNULL,
                       env={"PATH": "/usr/bin:/bin", "ARGYLL_NOT_INTERACTIVE": "1"})
        data = bytearray(Path(work, "newsprint.icc").read_bytes())
    if data[36:40] != b"acsp" or data[8] >= 4:
        sys.exit("colprof wrote something other than a version 2 ICC profile")
    data[24:36] = struct.pack(">6H", *CREATED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data)} bytes), sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
