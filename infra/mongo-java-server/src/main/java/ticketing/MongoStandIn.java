package ticketing;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.List;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * MongoDB wire-protocol stand-in for local tests and development.
 *
 * <p>Why: a real mongod cannot be downloaded here, and FerretDB loses updates under concurrent
 * findOneAndUpdate/updateOne/$inc. mongo-java-server serialises writes per collection, so
 * optimistic-concurrency filters, $inc and unique indexes behave atomically.
 *
 * <p>Usage: {@code java -jar mongo-java-server.jar [--host ADDR] [--port N] [--data-dir DIR]}.
 * The port defaults to $MONGO_PORT or 27017 (0 = any free port); the data directory to
 * $MONGO_DATA_DIR. Without a data directory everything is kept in memory. Listens on
 * $MONGO_HOST or 127.0.0.1 (the container image sets 0.0.0.0), prints
 * {@code mongo-java-server listening on ADDR:N} when ready, and stops on SIGTERM/SIGINT.
 */
public final class MongoStandIn {

    /**
     * What the stand-in tells clients it is. mongo-java-server 1.47 reports wire version 8
     * (MongoDB 4.2), which the MongoDB Node.js driver 7 (mongoose 9) refuses: it needs 9
     * (MongoDB 4.4) or later. 4.4 is the lowest it accepts, so the driver assumes no server
     * feature newer than that.
     */
    static final MongoVersion REPORTED_VERSION = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    public static void main(String[] args) {
        String host = env("MONGO_HOST", "127.0.0.1");
        String port = env("MONGO_PORT", "27017");
        String dataDir = env("MONGO_DATA_DIR", null);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i);
                case "--port" -> port = value(args, ++i);
                case "--data-dir" -> dataDir = value(args, ++i);
                default -> usage("unknown argument: " + args[i]);
            }
        }
        int portNumber = 0;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            usage("invalid port: " + port);
        }

        // mongo-java-server logs every connection at INFO, and every failed command (which the
        // client gets as an error anyway) and client reset at ERROR with a stack trace. Keep
        // stderr quiet unless a level is asked for (-Dorg.slf4j.simpleLogger.defaultLogLevel=info).
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire", "off");
        }

        MongoBackend backend;
        if (dataDir == null || dataDir.isEmpty()) {
            backend = new MemoryBackend();
        } else {
            File dir = new File(dataDir);
            if (!dir.isDirectory() && !dir.mkdirs()) {
                usage("cannot create data directory: " + dataDir);
            }
            backend = new H2Backend(new File(dir, "mongo.mv.db").getPath());
        }

        MongoServer server = new MongoServer(backend.version(REPORTED_VERSION));
        try {
            server.bind(host, portNumber);
        } catch (Exception e) { // Netty rethrows e.g. BindException unchecked, and leaves its threads running
            System.err.println("cannot listen on " + host + ":" + portNumber + ": " + e);
            System.exit(1);
        }
        // Runs on SIGTERM/SIGINT: drop clients, then close the backend (flushes the H2 file).
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-stand-in-shutdown"));

        InetSocketAddress address = server.getLocalAddress();
        System.out.println("mongo-java-server listening on " + host + ":" + address.getPort());
        System.out.flush();
        // Netty's non-daemon event-loop threads keep the JVM alive until shutdown.
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar mongo-java-server.jar [--host ADDR] [--port N] [--data-dir DIR]");
        System.exit(2);
    }
}
