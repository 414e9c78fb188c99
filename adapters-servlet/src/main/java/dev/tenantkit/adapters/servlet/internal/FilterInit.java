package dev.tenantkit.adapters.servlet.internal;

import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the filters declared in web.xml (or added by class) share when the container initialises
 * them: the objects they need from servlet context attributes, their init-params as {@link
 * Settings}, and a {@link ServletException} that names the filter and the offending init-param or
 * attribute, so a bad set-up stops the application at start-up. Stateless.
 */
public final class FilterInit {
  private FilterInit() {}

  /**
   * The object of {@code type} in the servlet context attribute {@code attribute}.
   *
   * @param filter the filter's simple class name, for the message
   * @throws ServletException if the attribute is unset or holds something else
   */
  public static <T> T attribute(FilterConfig config, String filter, String attribute, Class<T> type)
      throws ServletException {
    Object value = config.getServletContext().getAttribute(attribute);
    if (type.isInstance(value)) {
      return type.cast(value);
    }
    throw new ServletException(
        filter
            + " '"
            + config.getFilterName()
            + "' needs a "
            + type.getSimpleName()
            + " in the servlet context attribute '"
            + attribute
            + "', but "
            + (value == null
                ? "there is none; set it before the filter is initialised"
                : "it holds a " + value.getClass().getName()));
  }

  /**
   * The object of {@code type} in the servlet context attribute {@code attribute}, or empty when it
   * is unset.
   *
   * @throws ServletException if the attribute holds something else
   */
  public static <T> Optional<T> optionalAttribute(
      FilterConfig config, String filter, String attribute, Class<T> type) throws ServletException {
    if (config.getServletContext().getAttribute(attribute) == null) {
      return Optional.empty();
    }
    return Optional.of(attribute(config, filter, attribute, type));
  }

  /** The filter's init-params as settings, keyed by the init-param names. */
  public static Settings initParams(FilterConfig config) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : Collections.list(config.getInitParameterNames())) {
      params.put(name, config.getInitParameter(name));
    }
    return Settings.of(params);
  }

  /**
   * Runs the step that feeds the init-params to the filter's builder and turns a refusal into a
   * {@link ServletException} that names the filter and the init-param.
   *
   * @throws ServletException if the step refused an init-param or the builder refused the result
   */
  public static <T> T configure(FilterConfig config, String filter, Supplier<T> step)
      throws ServletException {
    String name = filter + " '" + config.getFilterName() + "': ";
    try {
      return step.get();
    } catch (InvalidSettingException e) {
      throw new ServletException(name + "init-param '" + e.key() + "' " + e.problem(), e);
    } catch (IllegalArgumentException e) {
      throw new ServletException(name + e.getMessage(), e);
    }
  }
}
