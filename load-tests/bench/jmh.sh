#!/usr/bin/env bash
# JMH benchmarks of code on Eddy's hot paths (*Benchmark.java in a module's test sources; today
# persistence's), in process, without a server or a client sharing the cores: on a noisy machine
# they tell small changes apart where wrk's throughput cannot. They live beside the code they
# measure, not in load-tests, which depends on no Eddy module so that its Gatling simulations run
# against any endpoint with nothing installed.
#
#   load-tests/bench/jmh.sh                       # every benchmark
#   load-tests/bench/jmh.sh ItemJsonBenchmark     # JMH's own arguments: a name pattern, -f, -wi, -i, -p item=bench, -h
#
# Compiles the modules it needs (Maven's reactor puts their classes on the class path, nothing is
# installed), then runs org.openjdk.jmh.Main.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
mvn -B -q -pl persistence -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
exec java -cp "persistence/target/test-classes:persistence/target/classes:$(cat persistence/target/jmh.classpath)" org.openjdk.jmh.Main "$@"
