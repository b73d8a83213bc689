package dev.servedeck.bench;

/** One performance target, what was measured against it, and whether it was met. */
record Verdict(String target, String measured, boolean pass) {

    String label() {
        return pass ? "PASS" : "FAIL";
    }
}
