package io.ipc4j.server.hardening;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.Mappers;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.Payload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Generates the hostile requests, each from its index and the random generator's seed value
 * alone, with the answer the docs give it. The server under attack exposes one {@link HostileTarget} as {@value #NAME}
 * with the default limits and serializers.
 */
final class HostileRequests {
  static final String NAME = "hostile";
  static final Limits LIMITS = Limits.defaults();
  static final Set<String> ACCEPTED = Set.of("json", "cbor");
  /**
   * The deepest list nesting of a ListValue argument that protobuf parses: grpc's parser stops at
   * 100 message levels, two per list (Value, ListValue), below the request and its args.
   */
  static final int MAX_PROTOBUF_LIST_NESTING = 49;
  /** What grpc answers for a message it cannot parse as protobuf. */

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = Mappers.cbor(LIMITS.withMaxDepth(1000));
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Object methods, lifecycle methods and members that are never exposed. */
  static final List<String> FORBIDDEN_METHODS = List.of("getClass", "wait", "notify",
      "notifyAll", "clone", "finalize", "close", "<init>", "<clinit>", "hashCode", "equals",
      "toString", "registerNatives", "helper", "packagePrivate", "guarded");
  /** Class names from deserialization gadget chains, and this package's gadget fixture. */
  static final List<String> GADGET_TYPES = List.of(GadgetFlags.GADGET,
      GadgetFlags.GADGET + "[]", "java.util.List<" + GadgetFlags.GADGET + ">", "Gadget",
      "[L" + GadgetFlags.GADGET + ";", "java.lang.Runtime", "java.lang.ProcessBuilder",
      "javax.script.ScriptEngineManager", "com.sun.rowset.JdbcRowSetImpl",
      "org.apache.commons.collections.functors.InvokerTransformer",
      "javax.management.BadAttributeValueExpException", "java.rmi.server.UnicastRemoteObject");
  static final List<String> GADGET_METHODS = List.of(GadgetFlags.METHOD_GADGET,
      GadgetFlags.METHOD_GADGET + ".<clinit>", GadgetFlags.METHOD_GADGET + ".<init>",
      "MethodGadget", "java.lang.Runtime.getRuntime", "getRuntime", "exec", "start",
      "forName", "newInstance", "loadClass", "defineClass", "getDeclaredMethod", "invoke");
  static final List<String> TYPE_HINT_KEYS =
      List.of("@class", "$type", "@type", "@c", "$class", "@jsonClass", "type", "class");
  static final List<String> TYPE_HINT_VALUES = List.of(GadgetFlags.HINT_GADGET,
      "[L" + GadgetFlags.HINT_GADGET + ";", "java.lang.Runtime", "java.lang.ProcessBuilder",
      "javax.script.ScriptEngineManager", "com.sun.rowset.JdbcRowSetImpl",
      "org.apache.commons.collections.functors.InvokerTransformer",
      HostileTarget.Circle.class.getName());
  static final List<String> FOREIGN_SERIALIZERS = List.of("java", "pickle", "", "JSON", " json",
      "json ", "cbor\u0000", "xml", "protobuf", "kryo", "hessian", "yaml", "Json", "CBOR");

  /** The kinds of request, with their weight out of 1000. */
  enum Category {
    RANDOM_BYTES(190),
    TRUNCATED(120),
    BIT_FLIP(150),
    UNKNOWN_OBJECT(60),
    UNKNOWN_METHOD(60),
    OBJECT_METHOD(80),
    GADGET_TYPES(70),
    TYPE_HINTS(100),
    NESTING(55),
    GIANT(35),
    OVERSIZE(2),
    SERIALIZER(78);

    final int weight;

    Category(int weight) {
      this.weight = weight;
    }

    static Category pick(SplittableRandom r) {
      int n = r.nextInt(1000);
      for (Category c : values()) {
        if (n < c.weight) {
          return c;
        }
        n -= c.weight;
      }
      throw new AssertionError("weights do not add up to 1000");
    }
  }

  /** What an answer was, as far as the docs' status table and grpc's own failures tell. */
  enum Kind {
    OK, NO_SUCH_OBJECT, NO_SUCH_METHOD, BAD_ARGUMENTS, SERIALIZER_NOT_ACCEPTED,
    /** over the message size limit: grpc's RESOURCE_EXHAUSTED. */
    TOO_LARGE,
    UNEXPECTED;

    static Kind of(Raw.Outcome o) {
      return switch (o.code()) {
        case OK -> OK;
        case NOT_FOUND -> ipc4j(o, "NO_SUCH_OBJECT", NO_SUCH_OBJECT);
        case UNIMPLEMENTED -> ipc4j(o, "NO_SUCH_METHOD", NO_SUCH_METHOD);
        case INVALID_ARGUMENT -> ipc4j(o, "BAD_ARGUMENTS", BAD_ARGUMENTS);
        case FAILED_PRECONDITION -> ipc4j(o, "SERIALIZER_NOT_ACCEPTED", SERIALIZER_NOT_ACCEPTED);
        // grpc's Netty transport refuses an oversized message before ipc4j sees it; on the
        // in-process transport, which does not serialize, ipc4j's request parser does.
        case RESOURCE_EXHAUSTED -> o.reason().isEmpty()
            && (o.description().startsWith("gRPC message exceeds maximum size")
                || o.description().startsWith("request of "))
            ? TOO_LARGE : UNEXPECTED;
        default -> UNEXPECTED;
      };
    }

    private static Kind ipc4j(Raw.Outcome o, String reason, Kind kind) {
      return o.reason().equals("ipc4j:" + reason) ? kind : UNEXPECTED;
    }
  }

  /**
   * The answers a request may get, and for an OK one a check of the result (null when right,
   * else what was wrong).
   */
  record Expect(Set<Kind> kinds, Function<InvokeResponse, String> check) {
    static Expect of(Kind first, Kind... rest) {
      return new Expect(EnumSet.of(first, rest), r -> null);
    }

    Expect checking(Function<InvokeResponse, String> check) {
      return new Expect(kinds, check);
    }
  }

  /** One generated request. */
  record Case(int index, Category category, byte[] bytes, Expect expect) {}

  private final long seed;
  private final Net net;

  HostileRequests(long seed, Net net) {
    this.seed = seed;
    this.net = net;
  }

  /** Request number {@code index}: the same for the same seed, whatever ran before it. */
  Case generate(int index) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    Category category = Category.pick(r);
    Built built = switch (category) {
      case RANDOM_BYTES -> parsed(randomBytes(r, r.nextInt(301)));
      case TRUNCATED -> {
        byte[] valid = template(r);
        yield parsed(Arrays.copyOf(valid, r.nextInt(valid.length)));
      }
      case BIT_FLIP -> {
        byte[] bytes = template(r);
        for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
          bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
        }
        yield parsed(bytes);
      }
      case UNKNOWN_OBJECT -> unknownObject(r);
      case UNKNOWN_METHOD -> unknownMethod(r);
      case OBJECT_METHOD -> objectMethod(r);
      case GADGET_TYPES -> gadgetTypes(r);
      case TYPE_HINTS -> typeHints(r);
      case NESTING -> nesting(r);
      case GIANT -> giant(r);
      case OVERSIZE -> oversize(r);
      case SERIALIZER -> serializer(r);
    };
    return new Case(index, category, built.bytes, built.expect);
  }

  private record Built(byte[] bytes, Expect expect) {
    Built(InvokeRequest request, Expect expect) {
      this(request.toByteArray(), expect);
    }
  }

  // ---- categories ----

  private Built unknownObject(SplittableRandom r) {
    String object;
    do {
      object = switch (r.nextInt(6)) {
        case 0 -> alnum(r, 1 + r.nextInt(30));
        case 1 -> unicode(r, 1 + r.nextInt(30));
        case 2 -> pick(r, List.of("../../etc/passwd", "hostile\u0000", "HOSTILE", " hostile",
            "hostile ", "kodi-IPC", "*", "hostile.add", "null", "%s%n"));
        case 3 -> "x".repeat(1000 + r.nextInt(20_000));
        case 4 -> pick(r, GADGET_TYPES);
        default -> pick(r, GADGET_METHODS);
      };
    } while (object.equals(NAME) || object.isEmpty());
    String method = r.nextBoolean() ? "add" : alnum(r, 1 + r.nextInt(10));
    return new Built(listRequest(object, method, List.of(), num(1), num(2)),
        Expect.of(Kind.NO_SUCH_OBJECT));
  }

  private Built unknownMethod(SplittableRandom r) {
    String method;
    do {
      method = switch (r.nextInt(5)) {
        case 0 -> alnum(r, 1 + r.nextInt(30));
        case 1 -> unicode(r, 1 + r.nextInt(30));
        case 2 -> pick(r, List.of("ADD", "add ", " add", "add()", "hostile.add", "add\u0000",
            "Add", "echo\n", "$add", "add$1", "lambda$add$0", "access$000", ""));
        case 3 -> "m".repeat(1000 + r.nextInt(20_000));
        default -> pick(r, GADGET_METHODS);
      };
    } while (HostileTarget.METHODS.contains(method));
    return new Built(listRequest(r.nextBoolean() ? NAME : "", method, List.of(),
        randomArgs(r, r.nextInt(4))), Expect.of(Kind.NO_SUCH_METHOD));
  }

  private Built objectMethod(SplittableRandom r) {
    String method = pick(r, FORBIDDEN_METHODS);
    int arity = r.nextInt(3);
    List<String> types = r.nextBoolean() ? List.of()
        : pick(r, List.of(List.of("long"), List.of("long", "int"), List.of("java.lang.Object"),
            List.of(), List.of("int", "int")));
    if (r.nextBoolean()) {
      return new Built(listRequest(NAME, method, types, randomArgs(r, arity)),
          Expect.of(Kind.NO_SUCH_METHOD));
    }
    String json = "[" + "1,".repeat(arity).replaceAll(",$", "") + "]";
    return new Built(payloadRequest(NAME, method, types, "json", utf8(json)),
        Expect.of(Kind.NO_SUCH_METHOD));
  }

  private Built gadgetTypes(SplittableRandom r) {
    switch (r.nextInt(5)) {
      case 0:
        return new Built(listRequest(NAME, "add",
                List.of(pick(r, GADGET_TYPES), pick(r, GADGET_TYPES)), num(1), num(2)),
            Expect.of(Kind.BAD_ARGUMENTS));
      case 1:
        return new Built(listRequest(NAME, "echo", List.of(pick(r, GADGET_TYPES)), str("x")),
            Expect.of(Kind.BAD_ARGUMENTS));
      case 2:
        // One type name for two arguments: matches no overload either.
        return new Built(payloadRequest(NAME, "pick", List.of(pick(r, GADGET_TYPES)), "json",
            utf8("[1]")), Expect.of(Kind.BAD_ARGUMENTS));
      case 3:
        return new Built(listRequest(r.nextBoolean() ? NAME : "", pick(r, GADGET_METHODS),
            r.nextBoolean() ? List.of() : List.of(pick(r, GADGET_TYPES)), str("x")),
            Expect.of(Kind.NO_SUCH_METHOD));
      default:
        return new Built(listRequest(pick(r, GADGET_TYPES), "add",
            List.of(pick(r, GADGET_TYPES), "int"), num(1), num(2)),
            Expect.of(Kind.NO_SUCH_OBJECT));
    }
  }

  private Built typeHints(SplittableRandom r) {
    String key = pick(r, TYPE_HINT_KEYS);
    String value = pick(r, TYPE_HINT_VALUES);
    ObjectNode hinted = NODES.objectNode().put(key, value).put("x", r.nextInt(1000))
        .put("s", alnum(r, 5));
    String method;
    JsonNode argument;
    JsonNode expected;
    Kind kind;
    switch (r.nextInt(6)) {
      case 0 -> {
        method = "echoObject";
        argument = r.nextBoolean() ? hinted : NODES.arrayNode().add(value).add(hinted);
        expected = argument;
        kind = Kind.OK;
      }
      case 1 -> {
        method = "echoMap";
        argument = hinted;
        expected = argument;
        kind = Kind.OK;
      }
      case 2 -> {
        method = "echoBean";
        ObjectNode bean = NODES.objectNode().put("name", "n").put("value", 7);
        argument = bean.set("payload", hinted);
        expected = argument;
        kind = Kind.OK;
      }
      case 3 -> {
        method = "echoBean";
        argument = NODES.objectNode().put(key, value).put("name", "n").put("value", 7);
        expected = null;
        kind = Kind.BAD_ARGUMENTS; // the hint is an unknown property of the bean
      }
      case 4 -> {
        method = "shape";
        argument = hinted;
        expected = null;
        kind = Kind.BAD_ARGUMENTS; // class-name type ids are refused, whatever the class
      }
      default -> {
        method = "shape";
        argument = NODES.arrayNode().add(value).add(NODES.objectNode().put("radius", 1));
        expected = null;
        kind = Kind.BAD_ARGUMENTS;
      }
    }
    ArrayNode args = NODES.arrayNode().add(argument);
    Expect expect = Expect.of(kind);
    if (expected != null) {
      Value want = JsonValues.toValue(expected, 100);
      expect = expect.checking(response -> same(want, resultTree(response)));
    }
    return new Built(encode(r, NAME, method, args), expect);
  }

  private Built nesting(SplittableRandom r) {
    boolean within = r.nextInt(4) == 0;
    switch (r.nextInt(3)) {
      case 0: {
        int depth = within ? 1 + r.nextInt(MAX_PROTOBUF_LIST_NESTING)
            : MAX_PROTOBUF_LIST_NESTING + 1 + r.nextInt(300);
        Value v = num(1);
        for (int i = 0; i < depth; i++) {
          v = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(v)).build();
        }
        Value want = v;
        return new Built(listRequest(NAME, "echoObject", List.of(), v), within
            ? Expect.of(Kind.OK).checking(response -> same(want, response.getValue()))
            : Expect.of(Kind.BAD_ARGUMENTS));
      }
      case 1: {
        // The argument array is the first level: an argument may nest maxDepth - 1 deep.
        int depth = within ? 1 + r.nextInt(LIMITS.maxDepth() - 1)
            : LIMITS.maxDepth() + r.nextInt(r.nextBoolean() ? 10 : 100_000);
        String json = "[" + "[".repeat(depth) + "]".repeat(depth) + "]";
        return new Built(payloadRequest(NAME, "echoObject", List.of(), "json", utf8(json)),
            nestingExpect(within, depth));
      }
      default: {
        int depth = within ? 1 + r.nextInt(LIMITS.maxDepth() - 1)
            : LIMITS.maxDepth() + r.nextInt(r.nextBoolean() ? 10 : 100_000);
        byte[] cbor = new byte[depth + 1];
        Arrays.fill(cbor, (byte) 0x81); // an array of one element
        cbor[depth] = (byte) 0x80; // the innermost, empty array
        return new Built(payloadRequest(NAME, "echoObject", List.of(), "cbor", cbor),
            nestingExpect(within, depth));
      }
    }
  }

  private static Expect nestingExpect(boolean within, int depth) {
    if (!within) {
      return Expect.of(Kind.BAD_ARGUMENTS);
    }
    return Expect.of(Kind.OK).checking(response -> {
      JsonNode tree = resultTree(response);
      for (int i = 0; i < depth - 1; i++) {
        if (tree.size() != 1) {
          return "nesting broken at level " + i + ": " + tree;
        }
        tree = tree.get(0);
      }
      return tree.isArray() && tree.isEmpty() ? null : "innermost is not [] but " + tree;
    });
  }

  private Built giant(SplittableRandom r) {
    switch (r.nextInt(6)) {
      case 0: {
        int length = 16 * 1024 + r.nextInt(1024 * 1024);
        String s = r.nextBoolean() ? "x".repeat(length) : unicode(r, length / 4);
        Expect expect = Expect.of(Kind.OK).checking(response ->
            equal(s.length(), resultTree(response).asInt(), "length"));
        if (r.nextBoolean()) {
          return new Built(listRequest(NAME, "length", List.of(), str(s)), expect);
        }
        return new Built(encode(r, NAME, "length", NODES.arrayNode().add(s)), expect);
      }
      case 1: {
        // A JSON number longer than maxNumberLength.
        String digits = digits(r, LIMITS.maxNumberLength() + 1 + r.nextInt(100_000));
        return new Built(payloadRequest(NAME, r.nextBoolean() ? "integer" : "add", List.of(),
            "json", utf8("[" + digits + (r.nextBoolean() ? "" : ", 1") + "]")),
            Expect.of(Kind.BAD_ARGUMENTS));
      }
      case 2: {
        // Up to maxNumberLength digits: exact.
        String digits = digits(r, 1 + r.nextInt(LIMITS.maxNumberLength()));
        return new Built(payloadRequest(NAME, "integer", List.of(), "json",
                utf8("[" + digits + "]")),
            Expect.of(Kind.OK).checking(response ->
                equal(digits, resultTree(response).asText(), "digits")));
      }
      case 3: {
        // Big integers travel as strings in the ListValue form. Beyond Jackson's own bound of
        // 1000 digits they are refused (ipc4j's maxNumberLength does not hold here yet; see
        // LimitsAtTheEdgeTest).
        String digits = digits(r, 1001 + r.nextInt(200_000));
        return new Built(listRequest(NAME, "integer", List.of(), str(digits)),
            Expect.of(Kind.BAD_ARGUMENTS));
      }
      case 4: {
        String huge = pick(r, List.of("1e1000000000", "-1e-1000000000", "9e999999999",
            "1E+2147483647"));
        switch (r.nextInt(3)) {
          case 0:
            return new Built(listRequest(NAME, "integer", List.of(), str(huge)),
                Expect.of(Kind.BAD_ARGUMENTS));
          case 1:
            return new Built(listRequest(NAME, "add", List.of(), str(huge), num(1)),
                Expect.of(Kind.BAD_ARGUMENTS));
          default:
            // A scale beyond maxScale (±10,000): no method gets a decimal whose digits would
            // take it minutes to compute.
            return new Built(listRequest(NAME, "decimal", List.of(), str(huge)),
                Expect.of(Kind.BAD_ARGUMENTS));
        }
      }
      default: {
        double huge = pick(r, List.of(1e308, -1e308, Double.MAX_VALUE, 4.9e-324, 1e19, 3e9));
        return new Built(listRequest(NAME, "add", List.of(), num(huge), num(1)),
            Expect.of(Kind.BAD_ARGUMENTS));
      }
    }
  }

  private Built oversize(SplittableRandom r) {
    int size = LIMITS.maxMessageSize() + 1 + r.nextInt(1000);
    boolean list = net == Net.TCP && r.nextBoolean();
    InvokeRequest request = list
        ? listRequest(NAME, "length", List.of(), str("x".repeat(size)))
        : payloadRequest(NAME, "length", List.of(), "json",
            utf8("[\"" + "x".repeat(size) + "\"]"));
    // Over TCP grpc refuses the message; in-process nothing serializes it, and ipc4j's request
    // parser refuses it with the same status.
    return new Built(request, Expect.of(Kind.TOO_LARGE)); // on every transport
  }

  private Built serializer(SplittableRandom r) {
    String name = r.nextInt(5) == 0 ? alnum(r, 1 + r.nextInt(8)) : pick(r, FOREIGN_SERIALIZERS);
    if (ACCEPTED.contains(name)) {
      name = "java";
    }
    byte[] data = r.nextBoolean() ? utf8("[1, 2]") : randomBytes(r, r.nextInt(200));
    return new Built(payloadRequest(r.nextBoolean() ? NAME : "", "add", List.of(), name, data),
        Expect.of(Kind.SERIALIZER_NOT_ACCEPTED));
  }

  // ---- the oracle for bytes that may or may not parse ----

  /** The answers a request made of {@code bytes} may get, judged from what protobuf makes of it. */
  static Built parsed(byte[] bytes) {
    InvokeRequest q;
    try {
      q = InvokeRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return new Built(bytes, Expect.of(Kind.BAD_ARGUMENTS));
    }
    boolean badSerializer = q.hasPayload() && !ACCEPTED.contains(q.getPayload().getSerializer());
    if (!q.getObject().isEmpty() && !q.getObject().equals(NAME)) {
      return new Built(bytes, badSerializer
          ? Expect.of(Kind.NO_SUCH_OBJECT, Kind.SERIALIZER_NOT_ACCEPTED)
          : Expect.of(Kind.NO_SUCH_OBJECT));
    }
    if (badSerializer) {
      return new Built(bytes, Expect.of(Kind.SERIALIZER_NOT_ACCEPTED));
    }
    if (!HostileTarget.METHODS.contains(q.getMethod())) {
      // Arguments are read before the method is looked up: broken ones may be reported first.
      return new Built(bytes, Expect.of(Kind.NO_SUCH_METHOD, Kind.BAD_ARGUMENTS));
    }
    Expect expect = Expect.of(Kind.OK, Kind.NO_SUCH_METHOD, Kind.BAD_ARGUMENTS);
    if (q.getMethod().equals("add") && q.hasArgs() && q.getParameterTypesCount() == 0) {
      List<Value> args = q.getArgs().getValuesList();
      if (args.size() == 2 && isInt(args.get(0)) && isInt(args.get(1))) {
        int sum = (int) args.get(0).getNumberValue() + (int) args.get(1).getNumberValue();
        return new Built(bytes, Expect.of(Kind.OK).checking(response ->
            equal(sum, (int) response.getValue().getNumberValue(), "sum")));
      }
    }
    return new Built(bytes, expect);
  }

  private static boolean isInt(Value v) {
    double d = v.getNumberValue();
    return v.hasNumberValue() && d == Math.rint(d) && d >= Integer.MIN_VALUE
        && d <= Integer.MAX_VALUE;
  }

  /** A valid request, to truncate or corrupt. */
  private byte[] template(SplittableRandom r) {
    int a = r.nextInt(-1000, 1000);
    int b = r.nextInt(-1000, 1000);
    InvokeRequest request = switch (r.nextInt(6)) {
      case 0 -> listRequest(NAME, "add", List.of(), num(a), num(b));
      case 1 -> payloadRequest(NAME, "echo", List.of(), "json",
          json(NODES.arrayNode().add(unicode(r, 1 + r.nextInt(20)))));
      case 2 -> listRequest(NAME, "echoMap", List.of(), JsonValues.toValue(NODES.objectNode()
          .put("k", "v").put("n", 1).set("list", NODES.arrayNode().add(1).add("x").add(true)
              .addNull()), 10));
      case 3 -> payloadRequest(NAME, "echoObject", List.of(), "cbor",
          cbor(NODES.arrayNode().add(NODES.objectNode().set("a", NODES.arrayNode().add(1)
              .add(2).add(NODES.objectNode().put("b", "c"))))));
      case 4 -> listRequest("", "pick", List.of("int"), num(a));
      default -> payloadRequest(NAME, "add", List.of(), "json",
          json(NODES.arrayNode().add(a).add(b)));
    };
    return request.toByteArray();
  }

  // ---- building requests ----

  /** The arguments in one of the three forms: ListValue, json payload, cbor payload. */
  private InvokeRequest encode(SplittableRandom r, String object, String method, ArrayNode args) {
    return switch (r.nextInt(3)) {
      case 0 -> {
        ListValue.Builder list = ListValue.newBuilder();
        args.forEach(a -> list.addValues(JsonValues.toValue(a, 1000)));
        yield InvokeRequest.newBuilder().setObject(object).setMethod(method).setArgs(list)
            .build();
      }
      case 1 -> payloadRequest(object, method, List.of(), "json", json(args));
      default -> payloadRequest(object, method, List.of(), "cbor", cbor(args));
    };
  }

  static InvokeRequest listRequest(String object, String method, List<String> types,
      Value... args) {
    return InvokeRequest.newBuilder().setObject(object).setMethod(method)
        .addAllParameterTypes(types).setArgs(ListValue.newBuilder().addAllValues(List.of(args)))
        .build();
  }

  static InvokeRequest payloadRequest(String object, String method, List<String> types,
      String serializer, byte[] data) {
    return InvokeRequest.newBuilder().setObject(object).setMethod(method)
        .addAllParameterTypes(types).setPayload(Payload.newBuilder().setSerializer(serializer)
            .setData(ByteString.copyFrom(data)))
        .build();
  }

  static Value num(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value[] randomArgs(SplittableRandom r, int count) {
    Value[] args = new Value[count];
    for (int i = 0; i < count; i++) {
      args[i] = r.nextBoolean() ? num(r.nextInt(100)) : str(alnum(r, 3));
    }
    return args;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] json(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] cbor(JsonNode node) {
    try {
      return CBOR.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- reading answers ----

  /** The result of an OK answer as a tree, whatever form it came in. */
  static JsonNode resultTree(InvokeResponse response) {
    try {
      if (response.hasValue()) {
        return JsonValues.toNode(response.getValue(), 1000);
      }
      byte[] data = response.getPayload().getData().toByteArray();
      return switch (response.getPayload().getSerializer()) {
        case "json" -> JSON.readTree(data);
        case "cbor" -> CBOR.readTree(data);
        default -> throw new IllegalStateException("answered in serializer '"
            + response.getPayload().getSerializer() + "'");
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String same(Value want, JsonNode got) {
    return same(want, JsonValues.toValue(got, 1000));
  }

  private static String same(Value want, Value got) {
    return want.equals(got) ? null : "expected " + shorten(want) + " but got " + shorten(got);
  }

  private static String equal(Object want, Object got, String what) {
    return want.equals(got) ? null : what + ": expected " + want + " but got " + got;
  }

  private static String shorten(Object o) {
    String s = String.valueOf(o).replace('\n', ' ');
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  // ---- random values ----

  static <T> T pick(SplittableRandom r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  static byte[] randomBytes(SplittableRandom r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    return bytes;
  }

  static String alnum(SplittableRandom r, int length) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$";
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(chars.charAt(r.nextInt(chars.length())));
    }
    return s.toString();
  }

  /** Random code points: controls, every plane's letters and symbols, emoji; no lone surrogates. */
  static String unicode(SplittableRandom r, int codePoints) {
    StringBuilder s = new StringBuilder(codePoints * 2);
    for (int i = 0; i < codePoints; i++) {
      int cp;
      do {
        cp = switch (r.nextInt(4)) {
          case 0 -> r.nextInt(0x80);
          case 1 -> r.nextInt(0x800);
          case 2 -> r.nextInt(0x10000);
          default -> 0x10000 + r.nextInt(0x100000);
        };
      } while (Character.getType(cp) == Character.SURROGATE);
      s.appendCodePoint(cp);
    }
    return s.toString();
  }

  static String digits(SplittableRandom r, int count) {
    StringBuilder s = new StringBuilder(count);
    s.append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < count; i++) {
      s.append((char) ('0' + r.nextInt(10)));
    }
    return s.toString();
  }

  /** Statuses an answer may carry besides OK, for the histogram's key. */
  static String label(Raw.Outcome o) {
    return o.code() == Status.Code.OK ? "OK"
        : o.code() + (o.reason().isEmpty() ? "" : " " + o.reason().replace("ipc4j:", ""));
  }

  static List<String> names(Set<Kind> kinds) {
    List<String> names = new ArrayList<>();
    kinds.forEach(k -> names.add(k.name()));
    return names;
  }
}
