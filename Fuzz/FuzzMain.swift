#if canImport(Glibc)
import Glibc
#endif

/// `pgvault-fuzz`: the libFuzzer entry point over `FuzzTargets`, and a replayer.
///
/// Built for fuzzing with
///     swift build --scratch-path .build-fuzz --product pgvault-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
/// and run as `PGVAULT_FUZZ_TARGET=manifest .build-fuzz/debug/pgvault-fuzz CORPUS_DIR -max_total_time=600`: the
/// binary's main hands control to libFuzzer (`LLVMFuzzerRunDriver`), which calls `LLVMFuzzerTestOneInput` with
/// coverage-guided inputs; an input that does not return or throw `PGVError` traps, so libFuzzer saves it as a crash.
/// In the ordinary build the same binary replays files: `pgvault-fuzz TARGET FILE...` (exit 1 on a failing file).
@main
struct FuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
        #else
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTargets.all[arguments[1]] else {
            print("usage: pgvault-fuzz TARGET FILE...; targets: \(FuzzTargets.all.keys.sorted().joined(separator: " "))")
            exit(2)
        }
        var failed = false
        for path in arguments.dropFirst(2) {
            guard let bytes = readFile(path) else { print("cannot read \(path)"); exit(2) }
            let ok = FuzzTargets.accepts(target, bytes)
            print("\(ok ? "ok  " : "FAIL") \(path)")
            failed = failed || !ok
        }
        exit(failed ? 1 : 0)
        #endif
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return bytes
    }
}

#if FUZZING
typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> CInt

/// The target named by `PGVAULT_FUZZ_TARGET` (default `manifest`), looked up once.
let selectedTarget: @Sendable ([UInt8]) throws -> Void = {
    let name = getenv("PGVAULT_FUZZ_TARGET").map { String(cString: $0) } ?? "manifest"
    guard let target = FuzzTargets.all[name] else { fatalError("unknown PGVAULT_FUZZ_TARGET \(name)") }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard FuzzTargets.accepts(selectedTarget, bytes) else { fatalError("input neither parsed nor threw PGVError") }
    return 0
}
#endif
