// swift-tools-version:6.0
import PackageDescription

// The second build of the kernels targets Haswell (x86-64-v3: AVX2, FMA) and fuses its multiply-adds; on
// other hosts (arm64: NEON is the baseline) it is the portable build again. unsafeFlags are
// accepted in a root package, so a clone builds with a plain `swift build`.
#if arch(x86_64)
let vectorSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"]), .define("KERNELS_FMA")]
#else
let vectorSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "lstm-grad",
    products: [
        .executable(name: "lstm-grad", targets: ["lstm-grad"]),
        .library(name: "LSTMGrad", targets: ["LSTMGrad"]),
    ],
    targets: [
        // The dense kernels, compiled twice from one source file (LSTMGradKernelsAVX2/Kernels.swift
        // is a symbolic link): for the baseline CPU, and for x86-64-v3 (AVX2 + FMA); LSTMGrad
        // picks one at run time from the CPU's features (CPUFeatures).
        .target(name: "LSTMGradKernels"),
        .target(name: "LSTMGradKernelsAVX2", swiftSettings: vectorSettings),
        .target(name: "CPUFeatures"),
        .target(name: "LSTMGrad", dependencies: ["LSTMGradKernels", "LSTMGradKernelsAVX2", "CPUFeatures"]),
        .executableTarget(name: "lstm-grad", dependencies: ["LSTMGrad"]),
        // The fuzz harness (`make fuzz`): a mutator and a runner, shared with the test slice.
        .target(name: "LSTMGradFuzz", dependencies: ["LSTMGrad"]),
        .executableTarget(name: "lstm-grad-fuzz", dependencies: ["LSTMGrad", "LSTMGradFuzz"]),
        .testTarget(
            name: "LSTMGradTests",
            dependencies: ["LSTMGrad", "LSTMGradFuzz"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The in-process libFuzzer harnesses (`make fuzz-inprocess`), built only when the make target
// sets LSTM_GRAD_FUZZ_INPROCESS (with the fuzzer and address sanitizers): a plain `swift build`
// neither sees nor builds them.
if Context.environment["LSTM_GRAD_FUZZ_INPROCESS"] != nil {
    package.targets += [
        .executableTarget(name: "lstm-grad-fuzz-spec", dependencies: ["LSTMGrad"], path: "Fuzz/SpecHarness"),
        .executableTarget(name: "lstm-grad-fuzz-check", dependencies: ["LSTMGrad"], path: "Fuzz/CheckHarness"),
    ]
}
