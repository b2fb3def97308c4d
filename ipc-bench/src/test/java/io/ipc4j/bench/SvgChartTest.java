package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The chart a run writes next to its Markdown: well-formed SVG, a bar per system and cell. */
class SvgChartTest {
  private static CellResult cell(Contender c, Scenario s, int threads, long callsPerSecond) {
    return new CellResult(c, s, threads, callsPerSecond * 10, 10.0, 100_000, 300_000, -1, 30,
        200 * 1024, null);
  }

  private static final List<CellResult> RUN = List.of(
      cell(Contender.IPC4J_CBOR, Scenario.ADD, 1, 3_000),
      cell(Contender.GRPC, Scenario.ADD, 1, 3_000),
      cell(Contender.RMI, Scenario.ADD, 1, 6_000),
      cell(Contender.IPC4J_CBOR, Scenario.ADD, 16, 20_000),
      cell(Contender.GRPC, Scenario.ADD, 16, 15_000),
      CellResult.failed(Contender.RMI, Scenario.ADD, 16, "broken pipe"),
      cell(Contender.IPC4J_CBOR, Scenario.ECHO_1M, 1, 400),
      cell(Contender.GRPC, Scenario.ECHO_1M, 1, 500));

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> bars(Document doc) {
    List<Element> bars = new ArrayList<>();
    NodeList rects = doc.getElementsByTagName("rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element e = (Element) rects.item(i);
      if (e.getAttribute("class").equals("bar")) {
        bars.add(e);
      }
    }
    return bars;
  }

  private static double height(List<Element> bars, String system, int threads) {
    for (Element e : bars) {
      if (e.getAttribute("data-system").equals(system)
          && e.getAttribute("data-threads").equals(String.valueOf(threads))) {
        return Double.parseDouble(e.getAttribute("height"));
      }
    }
    throw new AssertionError("no bar for " + system + " at " + threads + " threads");
  }

  @Test
  void isWellFormedSvgWithABarPerPassedCell() throws Exception {
    Document doc = parse(SvgChart.of(RUN, Scenario.ADD, "one run"));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getAttribute("xmlns"));
    List<Element> bars = bars(doc);
    assertEquals(5, bars.size(), "the failed RMI cell draws no bar");
    String text = doc.getDocumentElement().getTextContent();
    assertTrue(text.contains("add(int,int): calls/s by client threads"), text);
    for (String system : List.of("ipc4j cbor", "typed gRPC", "RMI")) {
      assertTrue(text.contains(system), "legend names " + system + ": " + text);
    }
    assertTrue(text.contains("1 thread") && text.contains("16 threads"), text);
  }

  @Test
  void barsAreProportionalToCallsPerSecond() throws Exception {
    List<Element> bars = bars(parse(SvgChart.of(RUN, Scenario.ADD, "one run")));
    double cbor16 = height(bars, "ipc4j cbor", 16);
    assertEquals(0.75, height(bars, "typed gRPC", 16) / cbor16, 0.01);
    assertEquals(0.15, height(bars, "ipc4j cbor", 1) / cbor16, 0.01);
    assertEquals(0.30, height(bars, "RMI", 1) / cbor16, 0.01);
    assertEquals(270.0 * 20_000 / 25_000, cbor16, 0.1,
        "the axis ends at 25k (room above 20k), the plot is 270 high");
  }

  @Test
  void payloadScenarioShowsMegabytesPerSecond() throws Exception {
    Document doc = parse(SvgChart.of(RUN, Scenario.ECHO_1M, "one run"));
    assertTrue(doc.getDocumentElement().getTextContent()
        .contains("echo 1 MiB: MB/s by client threads"));
    List<Element> bars = bars(doc);
    assertEquals(2, bars.size());
    assertEquals("419.4", bars.get(0).getAttribute("data-value"));
    assertEquals(0.8, height(bars, "ipc4j cbor", 1) / height(bars, "typed gRPC", 1), 0.01);
  }

  @Test
  void aSystemKeepsItsColourInEveryChart() throws Exception {
    List<Element> add = bars(parse(SvgChart.of(RUN, Scenario.ADD, "one run")));
    List<Element> echo = bars(parse(SvgChart.of(List.of(RUN.get(7), RUN.get(6)),
        Scenario.ECHO_1M, "typed gRPC drawn first")));
    assertEquals(fill(add, "typed gRPC"), fill(echo, "typed gRPC"));
    assertEquals(fill(add, "ipc4j cbor"), fill(echo, "ipc4j cbor"));
    assertTrue(!fill(add, "typed gRPC").equals(fill(add, "ipc4j cbor")));
  }

  private static String fill(List<Element> bars, String system) {
    return bars.stream().filter(e -> e.getAttribute("data-system").equals(system)).findFirst()
        .orElseThrow().getAttribute("fill");
  }

  @Test
  void escapesTextAndRoundsTheAxis() throws Exception {
    Document doc = parse(SvgChart.of(RUN, Scenario.ADD, "load <3> & \"quiet\""));
    assertTrue(doc.getDocumentElement().getTextContent().contains("load <3> & \"quiet\""));
    assertEquals(20_000, SvgChart.niceCeiling(20_000));
    assertEquals(25_000, SvgChart.niceCeiling(20_001));
    assertEquals(500, SvgChart.niceCeiling(419.4));
    assertEquals(100_000, SvgChart.niceCeiling(78_252));
    assertEquals("21.6k", SvgChart.compact(21_608));
    assertEquals("25k", SvgChart.compact(25_000));
    assertEquals("435", SvgChart.compact(435.2));
    assertEquals("4.3", SvgChart.compact(4.3));
  }
}
