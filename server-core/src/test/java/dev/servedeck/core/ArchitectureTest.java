package dev.servedeck.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package rules of DESIGN.md, enforced. */
@AnalyzeClasses(packages = "dev.servedeck.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheTensorflowPackageTouchesTheRuntime = noClasses()
            .that().resideOutsideOfPackage("dev.servedeck.core.tensorflow..")
            .should().dependOnClassesThat(
                    com.tngtech.archunit.base.DescribedPredicate.describe("are TensorFlow runtime classes",
                            (com.tngtech.archunit.core.domain.JavaClass c) ->
                                    c.getPackageName().startsWith("org.tensorflow")
                                            && !c.getPackageName().startsWith("org.tensorflow.proto")))
            .because("only core.tensorflow may call TensorFlow; the rest sees org.tensorflow.proto data classes");

    @ArchTest
    static final ArchRule wireFactsNeedOnlyTheProtos = classes()
            .that().resideInAPackage("dev.servedeck.core.wire..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.servedeck.core.wire..", "java..",
                    "org.tensorflow.proto..", "com.google.protobuf..")
            .because("the wire facts are read by every front end, batching and the console, none of which may have to "
                    + "load TensorFlow for them; and facts of the wire depend on no part of the server (the protobuf "
                    + "runtime is the wire's own: string values are ByteStrings)");

    @ArchTest
    static final ArchRule serverCoreNeverImportsUiToolkits = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree..", "java.awt..")
            .because("server-core runs headless; the console lives in app/");

    @ArchTest
    static final ArchRule onlyTheRestPackageUsesNetty = noClasses()
            .that().resideOutsideOfPackages("dev.servedeck.core.rest..", "dev.servedeck.core.tls..",
                    "dev.servedeck.core.loadgen.rest..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("one third-party library per package: Netty is the REST front end's and the load engine's REST "
                    + "client's, and its TLS is core.tls's (gRPC gets the SslContext core.tls built through "
                    + "grpc-netty's builder)");

    @ArchTest
    static final ArchRule theTlsPackageUsesOnlyNettysTls = noClasses()
            .that().resideInAPackage("dev.servedeck.core.tls..")
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                    "are Netty classes other than its TLS (io.netty.handler.ssl, HTTP/2's cipher list, the buffer "
                            + "allocator that SslContext's methods take)",
                    (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("io.netty")
                            && !c.getPackageName().startsWith("io.netty.handler.ssl")
                            && !c.getName().equals("io.netty.handler.codec.http2.Http2SecurityUtil")
                            && !c.getName().equals("io.netty.buffer.ByteBufAllocator")))
            .orShould().dependOnClassesThat().resideInAnyPackage("io.grpc..", "dev.servedeck.core.rest..",
                    "dev.servedeck.core.grpc..")
            .because("core.tls reads SSL configs and builds TLS contexts for both front ends, knowing neither");

    @ArchTest
    static final ArchRule tlsContextsAreBuiltInOnePlace = noClasses()
            .that().resideOutsideOfPackage("dev.servedeck.core.tls..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.netty.handler.ssl.SslContextBuilder")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.netty.handler.ssl.SslProvider")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.grpc.netty.GrpcSslContexts")
            .because("one place (core.tls) builds the REST and gRPC TLS contexts from one SSL config, so both ports "
                    + "always present the same certificate and ask for the same client certificates");

    @ArchTest
    static final ArchRule onlyTheGrpcPackageUsesGrpc = noClasses()
            .that().resideOutsideOfPackages("dev.servedeck.core.grpc..", "dev.servedeck.proto..",
                    "dev.servedeck.core.loadgen.grpc..", "dev.servedeck.core.batching.tuning.admin..")
            .should().dependOnClassesThat().resideInAPackage("io.grpc..")
            .because("one third-party library per package: grpc-java is the gRPC front end's, the load engine's "
                    + "gRPC client's and the batching tuner's admin API client's (generated stubs aside)");

    @ArchTest
    static final ArchRule grpcReachesModelsOnlyThroughTheCore = noClasses()
            .that().resideInAPackage("dev.servedeck.core.grpc..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.source..",
                    "dev.servedeck.core.tensorflow..", "dev.servedeck.core.rest..", "dev.servedeck.core.lifecycle..")
            .because("front ends are stateless and reach models only through ServingApi / ServerCore; states come "
                    + "from the core's ModelStates view, changes go through its ModelAdministration");

    @ArchTest
    static final ArchRule onlyTheCoreTouchesTheLifecycle = noClasses()
            .that().resideOutsideOfPackages("dev.servedeck.core", "dev.servedeck.core.admin..",
                    "dev.servedeck.core.lifecycle..", "dev.servedeck.core.source..", "dev.servedeck.core.tensorflow..")
            .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                    "are lifecycle classes other than LoadRetries (the retry flags' value, which the command line builds)",
                    (com.tngtech.archunit.core.domain.JavaClass c) ->
                            c.getPackageName().startsWith("dev.servedeck.core.lifecycle")
                                    && !c.getName().equals("dev.servedeck.core.lifecycle.LoadRetries")))
            .because("the lifecycle (manager, harnesses, state monitor) is internal to the core: ServerCore drives it, "
                    + "sources feed it, core.tensorflow implements its Loader, and everything else reads states through "
                    + "core.admin.ModelStates and changes models through core.admin.ModelAdministration");

    @ArchTest
    static final ArchRule frontEndsReachModelsOnlyThroughTheCore = noClasses()
            .that().resideInAPackage("dev.servedeck.core.rest..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.servedeck.core.lifecycle..", "dev.servedeck.core.source..", "dev.servedeck.core.tensorflow..")
            .because("front ends are stateless and reach models only through ServingApi");

    @ArchTest
    static final ArchRule lifecycleIsGeneric = noClasses()
            .that().resideInAnyPackage("dev.servedeck.core.lifecycle..", "dev.servedeck.core.source..")
            .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", "dev.servedeck.core.tensorflow..")
            .because("the lifecycle machinery works for any servable, as TF Serving's core does");

    @ArchTest
    static final ArchRule batchingIsGeneric = noClasses()
            .that().resideInAPackage("dev.servedeck.core.batching..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.tensorflow..",
                    "dev.servedeck.core.lifecycle..", "dev.servedeck.core.rest..")
            .because("the batch scheduler works on TF Serving's wire types for any servable, as TF Serving's does");

    @ArchTest
    static final ArchRule batchingKnowsNothingOfMetrics = noClasses()
            .that().resideInAPackage("dev.servedeck.core.batching..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.metrics..", "io.prometheus..")
            .because("the scheduler reports through BatchObserver and BatchingStats; core.metrics implements and "
                    + "reads them, never the other way round");

    @ArchTest
    static final ArchRule onlyTheMetricsPackageUsesTheMetricsLibraries = noClasses()
            .that().resideOutsideOfPackage("dev.servedeck.core.metrics..")
            .should().dependOnClassesThat().resideInAnyPackage("io.prometheus..")
            .because("one third-party library per package: the Prometheus client is core.metrics'; front ends serve "
                    + "metrics through MetricsExposition");

    @ArchTest
    static final ArchRule onlyMetricsAndTheLoadEngineUseHdrHistogram = noClasses()
            .that().resideOutsideOfPackages("dev.servedeck.core.metrics..", "dev.servedeck.core.loadgen")
            .should().dependOnClassesThat().resideInAnyPackage("org.HdrHistogram..")
            .because("one third-party library per package: HdrHistogram is core.metrics' (server-side latency) and "
                    + "the load engine's own package's (client-side latency); its transports, reports and command "
                    + "line see Latencies");

    @ArchTest
    static final ArchRule theLoadEngineIsAClient = noClasses()
            .that().resideInAPackage("dev.servedeck.core.loadgen..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.rest..", "dev.servedeck.core.grpc..",
                    "dev.servedeck.core.lifecycle..", "dev.servedeck.core.source..", "dev.servedeck.core.batching..",
                    "dev.servedeck.core.tensorflow..", "dev.servedeck.core.metrics..", "dev.servedeck.core.server..")
            .because("the load engine measures any TF Serving-compatible server from outside, through the wire "
                    + "protos, core.tls and core.signature only, so the console and the command line can point it "
                    + "at a remote server as well as at their own");

    @ArchTest
    static final ArchRule frontEndsDoNotDependOnMetrics = noClasses()
            .that().resideInAnyPackage("dev.servedeck.core.rest..", "dev.servedeck.core.grpc..")
            .and().resideOutsideOfPackage("dev.servedeck.core.grpc.admin..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.metrics..",
                    "dev.servedeck.core.requestlog..")
            .because("front ends are metered from outside (a MeteredServingApi per entrypoint), so REST and gRPC "
                    + "are counted alike");

    @ArchTest
    static final ArchRule theAdminApiReadsMetricsButNeverMeters = noClasses()
            .that().resideInAPackage("dev.servedeck.core.grpc.admin..")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.servedeck.core.metrics.Monitoring")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.servedeck.core.metrics.MeteredServingApi")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.servedeck.core.metrics.ServingMetrics")
            .because("the admin API shows live statistics and the request log (it reads their snapshots and tails "
                    + "as the console does), but it is a front end: metering stays outside it");

    @ArchTest
    static final ArchRule warmupRunsOnTheServableAlone = noClasses()
            .that().resideInAnyPackage("dev.servedeck.core.warmup..", "dev.servedeck.core.tfrecord..",
                    "dev.servedeck.core.inference..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.servedeck.core.metrics..",
                    "dev.servedeck.core.rest..", "dev.servedeck.core.grpc..", "dev.servedeck.core.batching..",
                    "dev.servedeck.core.tensorflow..")
            .because("warmup replays on the version being loaded, through the Servable interface: no front end, "
                    + "no batching, no metrics, so warmup requests are never counted as client requests");

    @ArchTest
    static final ArchRule noCatchAllPackages = noClasses()
            .should().resideInAnyPackage("..util..", "..utils..", "..helper..", "..helpers..", "..common..", "..misc..")
            .because("name a package after what it does");
}
