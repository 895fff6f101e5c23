import XCTest
@testable import DiagnoseCLI

final class OpenBLASCoreTypeTests: XCTestCase {
    private let zen5 = """
    processor\t: 0
    vendor_id\t: AuthenticAMD
    flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi
    bugs\t\t: sysret_ss_attrs

    processor\t: 1
    flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi

    """

    func testAVX512MachineGetsSkylakeX() {
        XCTAssertEqual(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: zen5), "SkylakeX")
    }

    func testZen5DetectedAsZenAlsoGetsSkylakeX() {
        XCTAssertEqual(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Zen", cpuinfo: zen5), "SkylakeX")
    }

    func testAnAVX512CoreChosenByOpenBLASIsKept() {
        // Zen 4 is detected as Cooperlake (AVX-512 + BF16): forcing SkylakeX would gain nothing.
        for core in ["Cooperlake", "SkylakeX", "SapphireRapids"] {
            XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: core, cpuinfo: zen5), core)
        }
    }

    func testAlreadySetMeansNoChangeSoNoLoop() {
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: "SkylakeX", detectedCore: "SkylakeX", cpuinfo: zen5))
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: "Haswell", detectedCore: "Haswell", cpuinfo: zen5), "a user's choice wins")
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: "", detectedCore: "Haswell", cpuinfo: zen5))
    }

    func testAVX2OnlyMachineIsLeftAlone() {
        let haswell = "processor\t: 0\nflags\t\t: fpu sse avx avx2 fma bmi2\n"
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: haswell))
    }

    func testEachRequiredSubsetMatters() {
        for missing in OpenBLASCoreType.skylakeXFlags {
            let flags = OpenBLASCoreType.skylakeXFlags.subtracting([missing]).sorted().joined(separator: " ")
            XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: "flags\t: avx2 \(flags)\n"), "without \(missing)")
        }
    }

    func testFlagsMatchWholeWordsOnly() {
        // "avx512_bf16" or "avx512f_x" must not count as avx512f.
        let lookalike = "flags\t: avx512_bf16 avx512fx avx512dq avx512cd avx512bw avx512vl\n"
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: lookalike))
    }

    func testEveryProcessorMustHaveTheFlags() {
        let mixed = zen5 + "processor\t: 2\nflags\t\t: fpu avx avx2\n"
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: mixed))
    }

    func testUnreadableOrFlaglessCpuinfo() {
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: nil))
        XCTAssertNil(OpenBLASCoreType.coreTypeToSet(current: nil, detectedCore: "Haswell", cpuinfo: "processor : 0\nFeatures : neon asimd\n"))
        XCTAssertNil(OpenBLASCoreType.cpuFlags(""))
    }
}

/// The OpenMP wait policy the command line sets before oneDNN's libgomp loads.
final class EarlyEnvironmentTests: XCTestCase {
    func testPassiveUnlessTheUserChose() {
        XCTAssertEqual(EarlyEnvironment.waitPolicyToSet(current: nil), "PASSIVE")
        XCTAssertNil(EarlyEnvironment.waitPolicyToSet(current: "ACTIVE"), "a user's choice is kept")
        XCTAssertNil(EarlyEnvironment.waitPolicyToSet(current: "PASSIVE"), "set after the re-exec: no loop")
    }
}
