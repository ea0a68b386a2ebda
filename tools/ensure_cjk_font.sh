#!/bin/sh
# A CJK font on the server (Debian's fonts-wqy-microhei, a few MB, Simplified and Traditional): the API cuts the glyphs
# of the generated art's Chinese names from it and embeds them (backend/api/art.py). Installed only when no font file
# backend/api/art.py looks for is there; the backend tests check the art's embedded glyphs with it.
set -e
for font in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc; do
  [ -f "$font" ] && exit 0
done
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-wqy-microhei >/dev/null
