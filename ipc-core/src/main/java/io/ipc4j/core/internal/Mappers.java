package io.ipc4j.core.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.ipc4j.core.Limits;
import java.io.IOException;

/**
 * Builds the one Jackson configuration that every ipc4j peer uses: limits set explicitly, no
 * default typing, class-name type ids refused, java.time as ISO strings, untyped integers as Long
 * (BigInteger beyond), decimals kept exact.
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
    return configure(new ObjectMapper(new JsonFactoryBuilder()
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        .build()));
  }

  /** A CBOR mapper bounded by {@code limits}. */
  public static ObjectMapper cbor(Limits limits) {
    return configure(new ObjectMapper(CBORFactory.builder()
        .streamReadConstraints(readConstraints(limits))
        .streamWriteConstraints(writeConstraints(limits))
        .build()));
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

  private static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new Jdk8Module())
        .registerModule(new JavaTimeModule())
        .registerModule(new ParameterNamesModule())
        .registerModule(new SimpleModule("ipc4j-numbers")
            .addDeserializer(Number.class, new UntypedNumbers()))
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

    UntypedNumbers() {
      super(Number.class);
    }

    @Override
    public Number deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_NUMBER_INT)) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return p.getBigIntegerValue();
        }
        return p.getLongValue();
      }
      if (p.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
          return p.getDecimalValue();
        }
        return p.getDoubleValue();
      }
      // Text such as "12" and whatever else Jackson makes a number of.
      return (Number) NumberDeserializers.NumberDeserializer.instance.deserialize(p, ctxt);
    }
  }
}
