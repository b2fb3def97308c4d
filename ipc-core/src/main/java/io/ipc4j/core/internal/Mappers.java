package io.ipc4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.TSFBuilder;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.KeyDeserializers;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.ipc4j.core.Limits;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Builds the one Jackson configuration that every ipc4j peer uses: limits set explicitly, no
 * default typing, class-name type ids refused, java.time as ISO strings, untyped integers as Long
 * (BigInteger beyond), decimals kept exact, duplicate keys refused, CBOR bignums as RFC 8949
 * defines them.
 */
public final class Mappers {
  private Mappers() {}

  /**
   * The type factory of these mappers, for types built ahead of a call (a method's declared result
   * type): unlike Jackson's default one, it knows {@code Optional} and its kin as references.
   */
  public static TypeFactory types() {
    return Types.FACTORY;
  }

  private static final class Types {
    static final TypeFactory FACTORY = json(Limits.defaults()).getTypeFactory();
  }

  /** A JSON mapper bounded by {@code limits}. */
  public static ObjectMapper json(Limits limits) {
    return configure(JsonMapper.builder(new JsonFactoryBuilder()
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        // {"a": 1, "a": 2} is an error naming "a", not a silent {"a": 2}.
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build())
        .disable(MapperFeature.USE_GETTERS_AS_SETTERS, MapperFeature.INFER_PROPERTY_MUTATORS)
        .build(), limits);
  }

  /** A CBOR mapper bounded by {@code limits}. */
  public static ObjectMapper cbor(Limits limits) {
    return configure(CBORMapper.builder(CBORFactory.builder()
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // Tag 3 holds -1 - n (RFC 8949); Jackson's default reads and writes -n.
        .enable(CBORParser.Feature.DECODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
        .enable(CBORGenerator.Feature.ENCODE_USING_STANDARD_NEGATIVE_BIGINT_ENCODING)
        .build())
        .disable(MapperFeature.USE_GETTERS_AS_SETTERS, MapperFeature.INFER_PROPERTY_MUTATORS)
        .build(), limits);
  }

  /**
   * A mapper of another Jackson format (Smile, Ion…), configured and bounded as the json and cbor
   * ones are: for a {@link JacksonSerializer#of} that a {@link Serializer.Factory} makes.
   */
  public static <F extends JsonFactory, B extends TSFBuilder<F, B>> ObjectMapper of(
      TSFBuilder<F, B> factory, Limits limits) {
    F built = factory
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    // JsonMapper's builder takes any JsonFactory: it is ObjectMapper's own builder in all but name.
    return configure(JsonMapper.builder(built)
        .disable(MapperFeature.USE_GETTERS_AS_SETTERS, MapperFeature.INFER_PROPERTY_MUTATORS)
        .build(), limits);
  }

  private static StreamReadConstraints readConstraints(Limits limits) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxDepth())
        .maxStringLength(limits.maxStringLength())
        .maxNumberLength(limits.maxNumberLength())
        .maxDocumentLength(limits.maxMessageSize())
        .build();
  }

  private static StreamWriteConstraints writeConstraints(Limits limits) {
    return StreamWriteConstraints.builder().maxNestingDepth(limits.maxDepth()).build();
  }

  private static ObjectMapper configure(ObjectMapper mapper, Limits limits) {
    return mapper
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .registerModule(new ParameterNamesModule())
        .registerModule(new SimpleModule("ipc4j-numbers")
            .addDeserializer(Number.class, new UntypedNumbers(limits.maxScale()))
            .addDeserializer(BigDecimal.class, new BoundedDecimals(limits.maxScale())))
        .registerModule(UnsafeTypeGuard.module())
        // @JsonTypeInfo(use = CLASS) would let a peer name a class to load: refuse them all.
        .setPolymorphicTypeValidator(new NoClassNames())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        // 1.5 must not become 1 when a method takes an int.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        // 1.10 stays 1.10 in trees (valueToTree, argument trees).
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  }

  /**
   * Refuses every class-name type id by its name, before the class is loaded (Jackson's own
   * validators load a class to check it, which runs its static initializer).
   */
  private static final class NoClassNames extends PolymorphicTypeValidator.Base {
    private static final long serialVersionUID = 1L;

    @Override
    public Validity validateSubClassName(
        MapperConfig<?> config, JavaType baseType, String subClassName) {
      return Validity.DENIED;
    }

    @Override
    public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
      return Validity.DENIED;
    }
  }

  /**
   * Numbers read as {@code Object} or {@code Number}: integers as Long (BigInteger when they do
   * not fit), decimals as Double (BigDecimal when the format carries one, as CBOR does). Jackson's
   * USE_LONG_FOR_INTS would fail on integers beyond long instead.
   */
  private static final class UntypedNumbers extends StdScalarDeserializer<Number> {
    private static final long serialVersionUID = 1L;
    private final int maxScale;

    UntypedNumbers(int maxScale) {
      super(Number.class);
      this.maxScale = maxScale;
    }

    @Override
    public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_NUMBER_INT)) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          // A CBOR bignum may hold a small number: a Long, as any other that fits.
          BigInteger big = p.getBigIntegerValue();
          return big.bitLength() < Long.SIZE ? (Number) big.longValue() : big;
        }
        return p.getLongValue();
      }
      if (p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
          return checkScale(p, p.getDecimalValue(), maxScale);
        }
        return p.getDoubleValue();
      }
      // Text such as "12" and whatever else Jackson makes a number of.
      return (Number) NumberDeserializers.NumberDeserializer.instance.deserialize(p, ctxt);
    }
  }

  /**
   * BigDecimals whose scale is within {@code maxScale} either way, however they arrive (number,
   * text, CBOR decimal fraction): {@code 1e999999999} is a short number whose digits would take a
   * method minutes to compute.
   */
  private static final class BoundedDecimals extends StdScalarDeserializer<BigDecimal> {
    private static final long serialVersionUID = 1L;
    private final int maxScale;

    BoundedDecimals(int maxScale) {
      super(BigDecimal.class);
      this.maxScale = maxScale;
    }

    @Override
    public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return checkScale(
          p, NumberDeserializers.BigDecimalDeserializer.instance.deserialize(p, ctxt), maxScale);
    }
  }

  /** {@code value}, unless its scale exceeds {@code maxScale} either way. */
  private static BigDecimal checkScale(JsonParser p, BigDecimal value, int maxScale)
      throws JsonMappingException {
    if (value != null && Math.abs((long) value.scale()) > maxScale) {
      throw JsonMappingException.from(p, "the scale of " + value
          + " exceeds the maxScale limit (" + maxScale + ")");
    }
    return value;
  }

  /**
   * Refuses to read any of the {@link UnsafeTypes} from a peer, wherever one is declared: a
   * parameter, a bean's property, a map's key (Jackson reads a {@code Class} by loading the class
   * it names, and initialising it).
   */
  private static final class UnsafeTypeGuard extends Deserializers.Base
      implements KeyDeserializers {
    static Module module() {
      return new SimpleModule("ipc4j-unsafe-types") {
        private static final long serialVersionUID = 1L;

        @Override
        public void setupModule(SetupContext context) {
          super.setupModule(context);
          context.addDeserializers(new UnsafeTypeGuard());
          context.addKeyDeserializers(new UnsafeTypeGuard());
        }
      };
    }

    @Override
    public JsonDeserializer<?> findBeanDeserializer(
        JavaType type, DeserializationConfig config, BeanDescription beanDesc) {
      Class<?> raw = type.getRawClass();
      return UnsafeTypes.isUnsafe(raw) ? new StdScalarDeserializer<Object>(Object.class) {
        private static final long serialVersionUID = 1L;

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
          throw JsonMappingException.from(p, refusal(raw));
        }
      } : null;
    }

    @Override
    public KeyDeserializer findKeyDeserializer(
        JavaType type, DeserializationConfig config, BeanDescription beanDesc) {
      Class<?> raw = type.getRawClass();
      return UnsafeTypes.isUnsafe(raw) ? new KeyDeserializer() {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
          throw JsonMappingException.from(ctxt, refusal(raw));
        }
      } : null;
    }

    private static String refusal(Class<?> type) {
      return "no " + type.getName() + " is read from a peer";
    }
  }
}
