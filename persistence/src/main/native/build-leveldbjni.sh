#!/usr/bin/env bash
# Builds leveldbjni 1.8's JNI code (its published native sources, unpacked by Maven) against the
# system's LevelDB, 1.21 or later (Debian's and Ubuntu's libleveldb-dev are 1.23), as the library
# LevelDb.java loads in place of leveldbjni's bundled LevelDB 1.8. LevelDB 1.8 writes its logs
# through a memory-mapped file, and the page faults of that copy were ~6% of a put's CPU; from 1.21
# LevelDB writes them with write() (docs/benchmarks.md, "LevelDB 1.23").
#
# usage: build-leveldbjni.sh NATIVE_SRC_DIR OUTPUT_FILE JAVA_HOME
# EDDY_LEVELDB_NATIVE=required makes a missing compiler or LevelDB an error (.ci/run sets it);
# otherwise the build goes on without the library and Eddy uses LevelDB 1.8.
set -euo pipefail
src=$1 out=$2 java_home=$3
here="$(cd "$(dirname "$0")" && pwd)"

skip() {
  if [[ "${EDDY_LEVELDB_NATIVE:-auto}" == required ]]; then
    echo "[ERROR] leveldbjni for the system's LevelDB: $1" >&2
    exit 1
  fi
  echo "[WARNING] leveldbjni for the system's LevelDB not built ($1): Eddy will use leveldbjni's LevelDB 1.8" >&2
  rm -f "$out"
  exit 0
}

rm -f "$out" # not a library of an earlier build, whatever happens below
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || skip "built on Linux x86_64 only"
command -v g++ >/dev/null || skip "no g++"
command -v gcc >/dev/null || skip "no gcc"
[[ -f "$java_home/include/jni.h" ]] || skip "no JNI headers under $java_home/include"
printf '#include <leveldb/db.h>\nstatic_assert(leveldb::kMajorVersion > 1 || leveldb::kMinorVersion >= 21, "LevelDB 1.21 or later");\n' \
  | g++ -std=c++11 -x c++ -fsyntax-only - 2>/dev/null || skip "no LevelDB 1.21 or later to build against (apt-get install libleveldb-dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src"/src/*.c "$src"/src/*.cpp "$src"/src/*.h "$here"/table_options.cpp "$work"/
cd "$work"
# Written by leveldbjni's configure; these are all its sources ask about.
printf '#define HAVE_%s_H 1\n' STDINT STDLIB STRING STRINGS PTHREAD DLFCN INTTYPES MEMORY UNISTD SYS_ERRNO SYS_STAT SYS_TYPES > config.h
# leveldbjni 1.8 was built on a LevelDB of its own with two more calls, which Eddy does not make,
# and a Slice whose fields were public: the calls do nothing here, and a Slice is made and read
# through its constructor and accessors.
sed -i -e 's/((leveldb::DB \*)(intptr_t)arg0)->SuspendCompactions();//' \
       -e 's/((leveldb::DB \*)(intptr_t)arg0)->ResumeCompactions();//' leveldbjni.cpp
sed -i -e 's/^\tlpStruct->data_ = \(.*\);$/\tconst char *data = \1;/' \
       -e 's/^\tlpStruct->size_ = \(.*\);$/\t*lpStruct = leveldb::Slice(data, \1);/' \
       -e 's/lpStruct->data_)/lpStruct->data())/' \
       -e 's/lpStruct->size_)/lpStruct->size())/' leveldbjni_structs.cpp
# Options it has no field for (table_options.cpp) are added as leveldbjni reads an Options.
sed -i -e '1i namespace leveldb { struct Options; }\nvoid eddy_table_options(leveldb::Options *options);' \
       -e 's/^\tlpStruct->compression = .*;$/&\n\teddy_table_options(lpStruct);/' leveldbjni_structs.cpp
if grep -n 'Compactions()\|->data_\|->size_' leveldbjni.cpp leveldbjni_structs.cpp >&2 \
    || [[ "$(grep -c 'eddy_table_options(lpStruct)' leveldbjni_structs.cpp)" != 1 ]]; then
  echo "[ERROR] leveldbjni's sources are not the ones these edits were written for" >&2
  exit 1
fi

flags=(-O2 -fPIC -DHAVE_CONFIG_H -I. -I"$java_home/include" -I"$java_home/include/linux")
gcc "${flags[@]}" -c hawtjni.c buffer.c || skip "hawtjni's C code did not compile"
g++ "${flags[@]}" -c leveldbjni.cpp leveldbjni_structs.cpp leveldbjni_stats.cpp table_options.cpp || skip "leveldbjni's C++ code did not compile"
# A LevelDB built without RTTI (upstream's CMake default) cannot be subclassed here: the link fails.
g++ -shared -Wl,--no-undefined -o "$work/libleveldbjni.so" ./*.o -lleveldb || skip "the link against the system's LevelDB failed"
mkdir -p "$(dirname "$out")"
mv "$work/libleveldbjni.so" "$out"
echo "[INFO] built $out against the system's LevelDB"
