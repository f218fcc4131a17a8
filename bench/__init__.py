"""The benchmark of issue "Fast at a million comments": `make bench` runs `bench.run`."""
