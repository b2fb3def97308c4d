package io.ipc4j.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TreeTraversingParser;
import com.fasterxml.jackson.databind.node.ValueNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ipc4j.core.Limits;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link Serializer} over a Jackson mapper: JSON, CBOR, or another Jackson format ({@link
 * #of}). Every read is bounded by the {@link Limits}, and a read that fails throws the documented
 * exception, whatever the bytes. Payloads are read where they lie, a method whose parameters are
 * all simple scalars has its arguments read straight into them ({@link #plan}), and a lone
 * {@code byte[]} skips Jackson's buffers in JSON and CBOR ({@link BinaryPayloads}).
 */
public final class JacksonSerializer implements Serializer {
  /** How many declared types' writers {@link #writer(Type)} keeps. */
  private static final int MAX_CACHED_WRITERS = 512;
  /** The limit that each of Jackson's stream constraints enforces, by its getter's name. */
  private static final Map<String, String> LIMIT_OF_CONSTRAINT = Map.of(
      "getMaxNestingDepth", "maxDepth",
      "getMaxStringLength", "maxStringLength",
      "getMaxNumberLength", "maxNumberLength",
      "getMaxDocumentLength", "maxMessageSize");

  private final String name;
  private final ObjectMapper mapper;
  private final ObjectReader treeReader;
  private final Limits limits;
  /** Whether payloads are CBOR, which {@link CborCheck} checks before Jackson reads them. */
  private final boolean cbor;
  /** How the format holds a lone byte string, when {@link BinaryPayloads} knows it; or null. */
  private final BinaryPayloads.Form binary;
  /** The mapper that writes results: by their declared types (see {@link DeclaredTypes}). */
  private final ObjectMapper resultMapper;
  /** The writer of each declared result type, built once: see {@link #writer(Type)}. */
  private final ConcurrentMap<Type, ObjectWriter> resultWriters = new ConcurrentHashMap<>();

  JacksonSerializer(String name, ObjectMapper mapper, Limits limits) {
    this.name = name;
    this.mapper = mapper;
    this.limits = limits;
    this.cbor = mapper.getFactory() instanceof CBORFactory;
    this.binary = BinaryPayloads.Form.of(mapper.getFactory());
    this.treeReader = mapper.readerFor(JsonNode.class)
        // Reads one element of the array at a time: what follows it is the next element.
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .with(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .with(new ArgumentNodes(limits.maxNumberLength(), argumentsExceed("maxNumberLength"),
            limits.maxScale(), argumentsExceed("maxScale")));
    this.resultMapper = DeclaredTypes.forResults(mapper);
  }

  /**
   * A serializer called {@code name} over {@code mapper}, for a Jackson format other than the
   * built-in ones (from a {@link Serializer.Factory}); build the mapper with {@link
   * Mappers#of} so that it is configured and bounded as json and cbor are.
   */
  public static JacksonSerializer of(String name, ObjectMapper mapper, Limits limits) {
    return new JacksonSerializer(name, mapper, limits);
  }

  @Override
  public String name() {
    return name;
  }

  /** The mapper, for converting JSON trees that arrive outside a payload. */
  public ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public List<Object> readArguments(byte[] data) {
    return readArguments(data.length, data, null);
  }

  /**
   * {@link #readArguments(byte[])} of a payload as it arrived, without copying it out of its
   * {@code ByteString}: same limits, same messages.
   */
  @Override
  public List<Object> readArguments(ByteString data) {
    return readArguments(data.size(), null, data);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here, a plan exists when every parameter is a {@link Scalar}: an {@code int}, a {@code
   * String}, a {@code byte[]}….
   */
  @Override
  public ArgumentPlan plan(Type[] parameterTypes) {
    Scalar[] scalars = Scalar.of(parameterTypes);
    return scalars == null ? null : new ScalarPlan(scalars);
  }

  @Override
  public Object[] readArguments(ByteString data, ArgumentPlan plan) {
    return plan instanceof ScalarPlan p ? readScalarArguments(data, p.scalars) : null;
  }

  /** The plan of a method whose parameters are all scalars: how to read each. */
  private record ScalarPlan(Scalar[] scalars) implements ArgumentPlan {}

  /**
   * How well an argument tree fits a parameter class (see {@link JsonNodeFit}); neutral for
   * anything but a tree.
   */
  @Override
  public int fit(Object argument, Class<?> parameter) {
    return argument instanceof JsonNode node ? JsonNodeFit.of(node, parameter) : 0;
  }

  /**
   * Reads the arguments of a method whose parameters are all {@link Scalar}s straight into their
   * types, without a tree: the fast path for a method that is not overloaded. Answers null
   * whenever the payload is anything but such an array of exactly {@code scalars.length} values
   * of the natural kind for each: the caller then takes the tree path ({@link #readArguments}
   * and {@link #convert}), which gives the same values and explains every failure.
   */
  public Object[] readScalarArguments(ByteString data, Scalar[] scalars) {
    if (data.size() > limits.maxMessageSize() || scalars.length > limits.maxArguments()
        || cbor && CborCheck.problem(data, limits.maxDepth()) != null) {
      return null;
    }
    if (scalars.length == 1 && scalars[0] == Scalar.BYTES && binary != null) {
      byte[] bytes = BinaryPayloads.readArguments(binary, data, limits.maxStringLength());
      if (bytes != null) {
        return new Object[] {bytes};
      }
    }
    Object[] args = new Object[scalars.length];
    try (JsonParser parser = mapper.createParser(data.newInput())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      for (int i = 0; i < args.length; i++) {
        JsonToken t = parser.nextToken();
        Object value = t == null ? NOT_SCALAR : scalars[i].read(parser, t, limits);
        if (value == NOT_SCALAR) {
          return null;
        }
        args[i] = value;
      }
      return parser.nextToken() == JsonToken.END_ARRAY && parser.nextToken() == null ? args : null;
    } catch (IOException | RuntimeException e) {
      return null; // the tree path reads it again and says what is wrong
    }
  }

  private List<Object> readArguments(int length, byte[] bytes, ByteString string) {
    if (length > limits.maxMessageSize()) {
      throw new IllegalArgumentException(argumentsExceed("maxMessageSize"));
    }
    String problem = cborProblem(bytes, string);
    if (problem != null) {
      throw new IllegalArgumentException(problem == CborCheck.TOO_DEEP
          ? argumentsExceed("maxDepth") : "malformed " + name + " arguments: " + problem);
    }
    try (JsonParser parser = bytes != null
        ? mapper.createParser(bytes) : mapper.createParser(string.newInput())) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("arguments must be a " + name + " array");
      }
      List<Object> items = new ArrayList<>();
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        if (t == null) {
          throw new IllegalArgumentException("truncated " + name + " arguments: no end of array");
        }
        if (items.size() == limits.maxArguments()) {
          throw new IllegalArgumentException(argumentsExceed("maxArguments"));
        }
        items.add(treeReader.readValue(parser));
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("trailing data after the " + name + " argument array");
      }
      return items;
    } catch (IOException e) {
      String limit = brokenLimit(e);
      throw new IllegalArgumentException(limit != null
          ? argumentsExceed(limit) : "malformed " + name + " arguments: " + reason(e), e);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // Bytes from a peer: whatever breaks in the parser, they are malformed.
      throw new IllegalArgumentException("malformed " + name + " arguments: " + e, e);
    }
  }

  @Override
  public Object convert(Object argument, Type type) {
    if (!(argument instanceof JsonNode node)) {
      throw new IllegalArgumentException("not a JSON tree but " + describe(argument));
    }
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    if (JsonNode.class.isAssignableFrom(javaType.getRawClass())
        && javaType.isTypeOrSuperTypeOf(node.getClass())) {
      return node; // a JsonNode parameter takes the tree as it is
    }
    try (JsonParser parser = new BoundedTreeParser(node, mapper)) {
      // Not mapper.treeToValue: its parser checks text turned into numbers ("99…9" for a
      // BigInteger) against Jackson's default constraints instead of ours.
      return mapper.readValue(parser, javaType);
    } catch (JsonProcessingException e) {
      String limit = brokenLimit(e);
      throw new IllegalArgumentException(
          limit != null ? exceeds("the value exceeds", limit) : withPath(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(reason(e), e);
    } catch (IllegalArgumentException e) {
      // Some deserializers throw it, at times around one of Jackson's own exceptions.
      throw new IllegalArgumentException(
          e.getCause() instanceof JsonProcessingException j ? withPath(j) : e.getMessage(), e);
    } catch (RuntimeException e) {
      // Deserializers throw more than Jackson's own errors on peer data (an Instant given 1e20:
      // DateTimeException; given bytes: ClassCastException): all are arguments that do not fit.
      throw new IllegalArgumentException("cannot read a " + type.getTypeName() + ": "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] writeArguments(Object[] args) {
    if (args != null && allPlain(args)) {
      byte[] plain = writePlain(mapper, args, true);
      if (plain != null) {
        return plain;
      }
    }
    try {
      return mapper.writeValueAsBytes(args == null ? new Object[0] : args);
    } catch (JsonProcessingException e) {
      throw new SerializationException("arguments cannot be written as " + name + ": "
          + whichArgument(args, e) + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new SerializationException("arguments cannot be written as " + name + ": " + e, e);
    }
  }

  /**
   * Whether {@code value} is written by {@link #writePlain}: null, an Integer, a Long, a Boolean
   * or a String, whose serializers Jackson would pick and run the same way every time.
   */
  private static boolean isPlain(Object value) {
    return value == null || value instanceof Integer || value instanceof Long
        || value instanceof Boolean || value instanceof String;
  }

  private static boolean allPlain(Object[] args) {
    for (Object arg : args) {
      if (!isPlain(arg)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The bytes {@code mapper} writes for plain values (see {@link #isPlain}), written straight to
   * a generator: as an array when {@code array}, else the one value. The fast path of the most
   * common calls; null when the generator refuses something, for the mapper to say what.
   */
  private static byte[] writePlain(ObjectMapper mapper, Object[] values, boolean array) {
    ByteArrayBuilder out = new ByteArrayBuilder(64);
    try (JsonGenerator g = mapper.createGenerator(out)) {
      if (array) {
        g.writeStartArray(values, values.length);
      }
      for (Object v : values) {
        if (v == null) {
          g.writeNull();
        } else if (v instanceof Integer i) {
          g.writeNumber(i);
        } else if (v instanceof Long l) {
          g.writeNumber(l);
        } else if (v instanceof Boolean b) {
          g.writeBoolean(b);
        } else {
          g.writeString((String) v);
        }
      }
      if (array) {
        g.writeEndArray();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out.toByteArray();
  }

  /**
   * {@code "argument 2 (a com.acme.Point): "} for the argument Jackson failed on, counted from 1,
   * or the empty string when its path does not say.
   */
  private static String whichArgument(Object[] args, JsonProcessingException e) {
    if (args == null || !(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
      return "";
    }
    int i = m.getPath().get(0).getIndex();
    return i >= 0 && i < args.length ? "argument " + (i + 1) + " (a " + describe(args[i]) + "): "
        : "";
  }

  /**
   * {@inheritDoc}
   *
   * <p>The value is written as {@code type} declares it, not as its runtime class: a value declared
   * as an interface or a base class sends only that type's properties (see {@link DeclaredTypes}).
   * Pass the same {@code type} instance for each call of a method (a {@link JavaType} serves
   * best): its writer is built once.
   */
  @Override
  public byte[] writeValue(Object value, Type type) {
    if (value != null && isPlain(value) && (type == null || type == Object.class
        || type == value.getClass()
        || type instanceof Class<?> c && c.isPrimitive())) {
      byte[] plain = writePlain(resultMapper, new Object[] {value}, false);
      if (plain != null) {
        return plain;
      }
    }
    try {
      return writer(type).writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException(cannotWrite(value) + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw new SerializationException(cannotWrite(value) + e, e);
    }
  }

  /**
   * {@link #writeValue} as a JSON tree, by the same rule: what a result sends in the {@code
   * google.protobuf.Value} form.
   *
   * @throws SerializationException when the value cannot be written
   */
  public JsonNode writeValueAsTree(Object value, Type type) {
    if (value == null) {
      return resultMapper.getNodeFactory().nullNode();
    }
    try (TokenBuffer buffer = new TokenBuffer(resultMapper, false)) {
      writer(type).writeValue(buffer, value);
      try (JsonParser parser = buffer.asParser()) {
        JsonNode tree = resultMapper.readTree(parser);
        return tree == null ? resultMapper.getNodeFactory().nullNode() : tree;
      }
    } catch (JsonProcessingException e) {
      throw new SerializationException(cannotWrite(value) + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(cannotWrite(value) + e, e);
    }
  }

  @Override
  public Object readValue(byte[] data, Type type) {
    return readValue(data.length, data, null, type);
  }

  /**
   * {@link #readValue(byte[], Type)} of a payload as it arrived, without copying it out of its
   * {@code ByteString}: same limits, same messages.
   */
  @Override
  public Object readValue(ByteString data, Type type) {
    if (type == byte[].class && binary != null && data.size() <= limits.maxMessageSize()
        && data.size() - 2L <= limits.maxStringLength()) {
      byte[] bytes = BinaryPayloads.readValue(binary, data);
      if (bytes != null) {
        return bytes;
      }
    }
    Scalar scalar = type instanceof Class<?> c && c != byte[].class ? Scalar.of(c) : null;
    if (scalar != null && data.size() <= limits.maxMessageSize()) {
      Object value = readScalar(data, scalar);
      if (value != NOT_SCALAR) {
        return value;
      }
    }
    return readValue(data.size(), null, data, type);
  }

  /**
   * A lone scalar value read straight from the parser, the fast path of the most common results;
   * {@link #NOT_SCALAR} for anything else, which the full path then reads or explains.
   */
  private Object readScalar(ByteString data, Scalar scalar) {
    try (JsonParser parser = mapper.createParser(data.newInput())) {
      JsonToken t = parser.nextToken();
      Object value = t == null ? NOT_SCALAR : scalar.read(parser, t, limits);
      return value != NOT_SCALAR && parser.nextToken() == null ? value : NOT_SCALAR;
    } catch (IOException | RuntimeException e) {
      return NOT_SCALAR;
    }
  }

  /**
   * {@link #writeValue} as a {@code ByteString}: a {@code byte[]} value is not copied (CBOR) or
   * encoded in one pass (JSON), anything else is Jackson's array, wrapped.
   */
  @Override
  public ByteString writeValueBytes(Object value, Type type) {
    return value instanceof byte[] bytes && binary != null
        ? BinaryPayloads.writeValue(binary, bytes)
        : UnsafeByteOperations.unsafeWrap(writeValue(value, type));
  }

  /** {@link #writeValueBytes}, by the name its first callers know. */
  public ByteString writeValueAsByteString(Object value, Type type) {
    return writeValueBytes(value, type);
  }

  /**
   * {@link #writeArguments} as a {@code ByteString}: a lone {@code byte[]} argument is not copied
   * (CBOR) or encoded in one pass (JSON), anything else is Jackson's array, wrapped.
   */
  @Override
  public ByteString writeArgumentBytes(Object[] args) {
    return args != null && args.length == 1 && args[0] instanceof byte[] bytes && binary != null
        ? BinaryPayloads.writeArguments(binary, bytes)
        : UnsafeByteOperations.unsafeWrap(writeArguments(args));
  }

  private Object readValue(int length, byte[] bytes, ByteString string, Type type) {
    String what = "cannot read a " + type.getTypeName() + " from " + name + ": ";
    if (length > limits.maxMessageSize()) {
      throw new SerializationException(what + exceeds("it exceeds", "maxMessageSize"), null);
    }
    String problem = cborProblem(bytes, string);
    if (problem != null) {
      throw new SerializationException(what + (problem == CborCheck.TOO_DEEP
          ? exceeds("it exceeds", "maxDepth") : problem), null);
    }
    try {
      JavaType javaType = mapper.getTypeFactory().constructType(type);
      return bytes != null ? mapper.readValue(bytes, javaType)
          : mapper.readValue(string.newInput(), javaType);
    } catch (IOException e) {
      String limit = brokenLimit(e);
      throw new SerializationException(
          what + (limit != null ? exceeds("it exceeds", limit) : reason(e)), e);
    } catch (RuntimeException e) {
      throw new SerializationException(what + e, e);
    }
  }

  /**
   * The writer for values declared as {@code type} (null: nothing declared), built once per type:
   * a call then costs one map lookup. The map holds a few hundred types at most (a program
   * declares that many); past that, writers are built per call rather than kept.
   */
  private ObjectWriter writer(Type type) {
    Type key = type == null ? Object.class : type;
    ObjectWriter writer = resultWriters.get(key);
    if (writer == null) {
      JavaType declared = DeclaredTypes.writtenAs(resultMapper.getTypeFactory().constructType(key));
      writer = declared.isJavaLangObject() ? resultMapper.writer()
          : resultMapper.writerFor(declared);
      if (resultWriters.size() < MAX_CACHED_WRITERS) {
        resultWriters.putIfAbsent(key, writer);
      }
    }
    return writer;
  }

  /**
   * What {@link CborCheck} finds wrong with a CBOR payload ({@link CborCheck#TOO_DEEP} included);
   * null when it is fine or not CBOR.
   */
  private String cborProblem(byte[] bytes, ByteString string) {
    return !cbor ? null : CborCheck.problem(
        bytes != null ? UnsafeByteOperations.unsafeWrap(bytes) : string, limits.maxDepth());
  }

  /** The {@link Limits} name of the limit Jackson refused input over, or null. */
  private static String brokenLimit(IOException e) {
    if (e instanceof StreamConstraintsException && e.getMessage() != null) {
      for (Map.Entry<String, String> c : LIMIT_OF_CONSTRAINT.entrySet()) {
        if (e.getMessage().contains(c.getKey())) {
          return c.getValue();
        }
      }
    }
    return null;
  }

  /** Jackson's reason, without the location it appends. */
  private static String reason(IOException e) {
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  private String argumentsExceed(String limit) {
    return exceeds(name + " arguments exceed", limit);
  }

  private String cannotWrite(Object value) {
    return "a " + describe(value) + " cannot be written as " + name + ": ";
  }

  /** The message for {@code subject} ("json arguments exceed") and the limit it broke. */
  private String exceeds(String subject, String limit) {
    int value = switch (limit) {
      case "maxMessageSize" -> limits.maxMessageSize();
      case "maxDepth" -> limits.maxDepth();
      case "maxStringLength" -> limits.maxStringLength();
      case "maxNumberLength" -> limits.maxNumberLength();
      case "maxArguments" -> limits.maxArguments();
      case "maxScale" -> limits.maxScale();
      default -> throw new IllegalStateException(limit);
    };
    return subject + " the " + limit + " limit (" + value + ")";
  }

  /** Jackson's message, with the place in the argument where it went wrong: {@code [2].x}. */
  private static String withPath(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
      return message;
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? message : message + " (at " + path + ")";
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  /** What {@link Scalar#read} answers for a token it does not take. */
  private static final Object NOT_SCALAR = new Object();

  /**
   * A parameter type read straight from the parser by {@link #readScalarArguments}. Each takes only
   * the token that the tree path would turn into the very same value, and nothing that a limit or a
   * coercion of the tree path would judge: anything else goes the tree path.
   */
  public enum Scalar {
    /** {@code int}: an integer that fits. */
    INT,
    /** {@code Integer}: an integer that fits, or null. */
    INTEGER,
    /** {@code long}: an integer that fits. */
    LONG,
    /** {@code Long}: an integer that fits, or null. */
    LONG_OBJECT,
    /** {@code boolean}: true or false. */
    BOOLEAN,
    /** {@code Boolean}: true, false or null. */
    BOOLEAN_OBJECT,
    /** {@code String}: a string, or null. */
    STRING,
    /** {@code byte[]}: binary data (base64 text in JSON), or null. */
    BYTES;

    /** The scalar that reads {@code type}, or null when only the tree path reads it. */
    public static Scalar of(Type type) {
      if (type == int.class) {
        return INT;
      } else if (type == Integer.class) {
        return INTEGER;
      } else if (type == long.class) {
        return LONG;
      } else if (type == Long.class) {
        return LONG_OBJECT;
      } else if (type == boolean.class) {
        return BOOLEAN;
      } else if (type == Boolean.class) {
        return BOOLEAN_OBJECT;
      } else if (type == String.class) {
        return STRING;
      } else if (type == byte[].class) {
        return BYTES;
      }
      return null;
    }

    /** The scalars of {@code types}, or null when one of them is not a scalar. */
    public static Scalar[] of(Type[] types) {
      Scalar[] scalars = new Scalar[types.length];
      for (int i = 0; i < types.length; i++) {
        scalars[i] = of(types[i]);
        if (scalars[i] == null) {
          return null;
        }
      }
      return scalars;
    }

    Object read(JsonParser p, JsonToken t, Limits limits) throws IOException {
      if (t == JsonToken.VALUE_NULL) {
        return this == INT || this == LONG || this == BOOLEAN ? NOT_SCALAR : null;
      }
      switch (this) {
        case INT:
        case INTEGER:
          return t == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : NOT_SCALAR;
        case LONG:
        case LONG_OBJECT:
          return t == JsonToken.VALUE_NUMBER_INT
              && (p.getNumberType() == JsonParser.NumberType.INT
                  || p.getNumberType() == JsonParser.NumberType.LONG)
              ? (Object) p.getLongValue() : NOT_SCALAR;
        case BOOLEAN:
        case BOOLEAN_OBJECT:
          return t == JsonToken.VALUE_TRUE ? Boolean.TRUE
              : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : NOT_SCALAR;
        case STRING:
          return t == JsonToken.VALUE_STRING ? p.getText() : NOT_SCALAR;
        case BYTES:
          if (t == JsonToken.VALUE_EMBEDDED_OBJECT) {
            return p.getEmbeddedObject() instanceof byte[] b ? b : NOT_SCALAR;
          }
          if (t != JsonToken.VALUE_STRING) {
            return NOT_SCALAR;
          }
          byte[] bytes = p.getBinaryValue();
          // Decoded without the text: the tree path would have held the text to maxStringLength.
          return (bytes.length + 2L) / 3 * 4 > limits.maxStringLength() ? NOT_SCALAR : bytes;
        default:
          return NOT_SCALAR;
      }
    }
  }

  /**
   * Builds argument trees: decimals keep every digit (for BigDecimal parameters) yet read as
   * doubles where no type is asked for, and big numbers are held to {@code maxNumberLength} digits,
   * which binary formats such as CBOR do not check themselves, and decimals to {@code maxScale}
   * (JSON's {@code 1e999999999} is one digit).
   */
  private static final class ArgumentNodes extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;
    private final int maxDigits;
    private final String tooLong;
    private final int maxScale;
    private final String tooScaled;

    ArgumentNodes(int maxDigits, String tooLong, int maxScale, String tooScaled) {
      this.maxDigits = maxDigits;
      this.tooLong = tooLong;
      this.maxScale = maxScale;
      this.tooScaled = tooScaled;
    }

    @Override
    public ValueNode numberNode(BigInteger v) {
      if (v != null) {
        checkDigits(v);
      }
      return super.numberNode(v);
    }

    @Override
    public ValueNode numberNode(BigDecimal v) {
      if (v == null) {
        return nullNode();
      }
      if (Math.abs((long) v.scale()) > maxScale) {
        throw new IllegalArgumentException(tooScaled);
      }
      checkDigits(v.unscaledValue());
      return new ExactDecimalNode(v);
    }

    private void checkDigits(BigInteger v) {
      // A number of b bits has at least (b - 1) * log10(2) digits: reject huge ones unprinted.
      if ((v.bitLength() - 1) * 0.30102 >= maxDigits
          || v.abs().toString().length() > maxDigits) {
        throw new IllegalArgumentException(tooLong);
      }
    }
  }

  /**
   * Reads a tree under the mapper's own {@link StreamReadConstraints}: Jackson's tree parser
   * otherwise applies its defaults when a deserializer turns text into a number.
   */
  private static final class BoundedTreeParser extends TreeTraversingParser {
    private final StreamReadConstraints constraints;

    BoundedTreeParser(JsonNode node, ObjectMapper mapper) {
      super(node, mapper);
      this.constraints = mapper.getFactory().streamReadConstraints();
    }

    @Override
    public StreamReadConstraints streamReadConstraints() {
      return constraints;
    }
  }

  /**
   * A decimal from the wire: exact for a BigDecimal parameter, but a double to whatever reads it
   * untyped (an Object parameter), as Jackson reads decimals from text.
   */
  private static final class ExactDecimalNode extends DecimalNode {
    private static final long serialVersionUID = 1L;

    ExactDecimalNode(BigDecimal value) {
      super(value);
    }

    @Override
    public JsonParser.NumberType numberType() {
      return JsonParser.NumberType.DOUBLE;
    }
  }
}
