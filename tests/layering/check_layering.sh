#!/usr/bin/env bash
# Enforces the one-way module dependencies of rtcgate (see CMakeLists.txt):
#   sdp/ and sip/core/ include only the standard library and their own headers;
#   sip/asio/ never includes sdp/, media/ or gateway/;
#   media/ never includes sip/, sdp/ or gateway/.
# Usage: check_layering.sh <source root>. Prints each violation as file:line and exits 1 if any.
set -u
root=${1:?usage: check_layering.sh <source root>}
cd "$root" || exit 2

std_headers='algorithm any array atomic barrier bit bitset cassert cctype cerrno cfloat charconv chrono
cinttypes climits clocale cmath codecvt compare complex concepts condition_variable coroutine csetjmp
csignal cstdarg cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype deque exception
execution expected filesystem format forward_list fstream functional future initializer_list iomanip
ios iosfwd iostream istream iterator latch limits list locale map memory memory_resource mutex new
numbers numeric optional ostream print queue random ranges ratio regex scoped_allocator semaphore set
shared_mutex source_location span spanstream sstream stack stacktrace stdexcept stop_token streambuf
string string_view syncstream system_error thread tuple type_traits typeindex typeinfo unordered_map
unordered_set utility valarray variant vector version'

is_std() {
  local h=$1 s
  for s in $std_headers; do [ "$h" = "$s" ] && return 0; done
  return 1
}

violations=0
report() {
  echo "$1: $2"
  violations=$((violations + 1))
}

# check_std_only <dir> <own include prefix> <forbidden own-prefix or ''>
check_std_only() {
  local dir=$1 own=$2 forbid=$3 file line hdr
  [ -d "$dir" ] || return 0
  while IFS=: read -r file line hdr; do
    case "$hdr" in
      "<$own"*) [ -n "$forbid" ] && [[ "$hdr" == "<$forbid"* ]] && report "$file:$line" "includes $hdr" ;;
      \<*) is_std "${hdr:1:${#hdr}-2}" || report "$file:$line" "includes non-standard header $hdr" ;;
      \"*) [[ "$hdr" =~ rtcgate/ ]] && ! [[ "$hdr" == "\"$own"* ]] && report "$file:$line" "includes $hdr" ;;
    esac
  done < <(grep -rnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' "$dir" --include='*.hpp' --include='*.cpp' --include='*.h' \
             | sed -E 's/^([^:]+):([0-9]+):.*include[[:space:]]*/\1:\2:/')
}

# check_forbidden <dir> <regex of forbidden include paths>
check_forbidden() {
  local dir=$1 re=$2 file line hdr
  [ -d "$dir" ] || return 0
  while IFS=: read -r file line hdr; do
    [[ "$hdr" =~ $re ]] && report "$file:$line" "includes $hdr"
  done < <(grep -rnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' "$dir" --include='*.hpp' --include='*.cpp' --include='*.h' \
             | sed -E 's/^([^:]+):([0-9]+):.*include[[:space:]]*/\1:\2:/')
}

check_std_only sdp rtcgate/sdp/ ''
check_std_only sip/core rtcgate/sip/ rtcgate/sip/asio/
check_forbidden sip/asio 'rtcgate/(sdp|media|gateway)/'
check_forbidden media 'rtcgate/(sip|sdp|gateway)/'

if [ "$violations" -gt 0 ]; then
  echo "layering: $violations violation(s)"
  exit 1
fi
echo "layering: ok"
