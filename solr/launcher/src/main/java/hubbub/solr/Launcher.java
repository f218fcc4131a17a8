package hubbub.solr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.cloud.ZkTestServer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * One process per role so a test can kill -9 a single Solr node.
 *
 * <pre>
 *   zk DIR                          prints "zk 127.0.0.1:PORT"
 *   node --zk HOST:PORT --dir DIR   prints "node http://127.0.0.1:PORT/solr"
 * </pre>
 *
 * Stdout carries only that line; logs go to DIR/solr.log. Runs until killed.
 */
public final class Launcher {

  /**
   * Written into each node's solr home; solr.xml in ZooKeeper is deprecated in Solr 9. A 15 s
   * ZooKeeper session (Solr's default is 30 s) makes a kill -9'd node leave live_nodes sooner.
   */
  private static final String SOLR_XML =
      """
      <solr>
        <solrcloud>
          <str name="host">127.0.0.1</str>
          <int name="hostPort">${hostPort:0}</int>
          <str name="hostContext">${hostContext:solr}</str>
          <int name="zkClientTimeout">${solr.zkclienttimeout:15000}</int>
          <bool name="genericCoreNodeNames">true</bool>
        </solrcloud>
        <metrics enabled="${metricsEnabled:false}"/>
      </solr>
      """;

  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    if (args.length == 2 && args[0].equals("zk")) {
      zk(dir(args[1]));
    } else if (args.length == 5
        && args[0].equals("node")
        && args[1].equals("--zk")
        && args[3].equals("--dir")) {
      node(args[2], dir(args[4]));
    } else {
      System.err.println("usage: zk DIR | node --zk HOST:PORT --dir DIR");
      System.exit(2);
    }
  }

  /** Must run before the first logger is created: log4j2.xml reads solr.log.dir. */
  private static Path dir(String arg) throws IOException {
    Path dir = Files.createDirectories(Path.of(arg)).toAbsolutePath();
    System.setProperty("solr.log.dir", dir.toString());
    return dir;
  }

  private static void zk(Path dir) throws Exception {
    // ZkTestServer polls with the 'stat' 4lw command and logs an ERROR unless it is allowed.
    System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    ZkTestServer zk = new ZkTestServer(dir.resolve("data"));
    // false: no "/solr" chroot, so the printed address is the whole zkHost.
    zk.run(false);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> quietly(zk::shutdown)));
    ready("zk " + zk.getZkHost());
  }

  private static void node(String zkHost, Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("solr.xml"), SOLR_XML, StandardCharsets.UTF_8);
    Properties props = new Properties();
    props.setProperty("zkHost", zkHost);
    JettySolrRunner jetty =
        new JettySolrRunner(
            home.toString(), props, JettyConfig.builder().setContext("/solr").setPort(0).build());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> quietly(jetty::stop)));
    jetty.start();
    ready("node " + jetty.getBaseUrl());
  }

  /** Announce on stdout, then park the main thread; the servers run on their own threads. */
  private static void ready(String line) throws InterruptedException {
    System.out.println(line);
    System.out.flush();
    Thread.currentThread().join();
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      e.printStackTrace();
    }
  }
}
