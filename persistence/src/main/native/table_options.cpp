// LevelDB options that leveldbjni 1.8's Options has no field for (LevelDB 1.8 had neither the
// table file size nor leveldbjni a filter policy). LevelDb.java names them for the next open on its
// own thread; build-leveldbjni.sh makes leveldbjni's reading of an Options call
// eddy_table_options, so they reach LevelDB's Options on the way into DB::Open.
#include <jni.h>
#include <leveldb/filter_policy.h>
#include <leveldb/options.h>

#include <map>
#include <mutex>

namespace {

thread_local size_t table_file_bytes = 0;  // 0: LevelDB's own (2 MB)
thread_local int bloom_bits_per_key = 0;   // 0: no filter

// A database reads its filter policy until it is closed, and a process opens a handful, so the
// policies are made once per size and kept.
const leveldb::FilterPolicy *bloom_filter(int bits_per_key) {
  static std::mutex lock;
  static std::map<int, const leveldb::FilterPolicy *> policies;
  std::lock_guard<std::mutex> guard(lock);
  const leveldb::FilterPolicy *&policy = policies[bits_per_key];
  if (policy == nullptr) policy = leveldb::NewBloomFilterPolicy(bits_per_key);
  return policy;
}

}  // namespace

extern "C" JNIEXPORT void JNICALL Java_io_eddy_persistence_LevelDb_tableOptionsForNextOpen(
    JNIEnv *, jclass, jlong file_bytes, jint bits_per_key) {
  table_file_bytes = file_bytes > 0 ? static_cast<size_t>(file_bytes) : 0;
  bloom_bits_per_key = bits_per_key > 0 ? bits_per_key : 0;
}

void eddy_table_options(leveldb::Options *options) {
  if (table_file_bytes > 0) options->max_file_size = table_file_bytes;
  if (bloom_bits_per_key > 0) options->filter_policy = bloom_filter(bloom_bits_per_key);
}
