package io.fluxguard.pipeline;

/**
 * What a policy does instead of the normal answer: answer with {@code answer}, or send nothing
 * when it is null ({@link #drop()}). {@link #ALLOWED} from the query policy means "resolve
 * normally, and do not ask the response policy" (an allow rule).
 */
public record Intercept(byte[] answer) {
  public static final Intercept ALLOWED = new Intercept(new byte[0]);

  public static Intercept drop() {
    return new Intercept(null);
  }

  public boolean dropped() {
    return answer == null;
  }
}
