package io.ipc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.Status.Code;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ErrorInfo reasons and the status codes the contract gives them. */
class ErrorReasonTest {

  @Test
  void eachReasonHasTheStatusCodeOfTheContract() {
    Map<ErrorReason, Code> expected = new LinkedHashMap<>();
    expected.put(ErrorReason.NO_SUCH_OBJECT, Code.NOT_FOUND);
    expected.put(ErrorReason.NO_SUCH_METHOD, Code.UNIMPLEMENTED);
    expected.put(ErrorReason.BAD_ARGUMENTS, Code.INVALID_ARGUMENT);
    expected.put(ErrorReason.SERIALIZER_NOT_ACCEPTED, Code.FAILED_PRECONDITION);
    expected.put(ErrorReason.RESULT_NOT_SERIALIZABLE, Code.INTERNAL);
    expected.put(ErrorReason.REMOTE_EXCEPTION, Code.UNKNOWN);

    Map<ErrorReason, Code> actual = new LinkedHashMap<>();
    Arrays.stream(ErrorReason.values()).forEach(r -> actual.put(r, r.code()));

    assertEquals(expected, actual);
    assertEquals("ipc4j", ErrorReason.DOMAIN);
  }

  @Test
  void readsReasonsByNameAndUnknownOnesAsNull() {
    for (ErrorReason reason : ErrorReason.values()) {
      assertEquals(reason, ErrorReason.of(reason.name()));
    }
    assertNull(ErrorReason.of("QUOTA_EXCEEDED"));
    assertNull(ErrorReason.of("no_such_object"));
    assertNull(ErrorReason.of(""));
  }
}
