package io.livestage.platform.problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.livestage.platform.http.RequestIds;

/**
 * Every error leaves a service as RFC 9457 problem+json: stable type, the failing field, the request id, never a stack
 * trace.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        return respond(e.type(), e.getMessage(), e.field(), null, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .collect(Collectors.toCollection(ArrayList::new));
        String detail = errors.stream().map(err -> err.field() + ": " + err.message())
                .collect(Collectors.joining("; "));
        return respond(ProblemType.VALIDATION_FAILED, detail, errors.isEmpty() ? null : errors.get(0).field(), errors,
                uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> json(JsonProcessingException e, UriInfo uri) {
        return malformed(e, uri);
    }

    /** Quarkus REST ships its own mapper for this subtype; a mapper for the exact type takes precedence. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e, UriInfo uri) {
        return malformed(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json, uri);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "No resource at " + uri.getPath();
            case 405 -> "This method is not allowed on " + uri.getPath();
            case 415 -> "Send the body as application/json";
            case 406 -> "This resource answers application/json";
            default -> type.title();
        };
        return respond(type, detail, null, null, uri, status);
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public RestResponse<Problem> unauthorized(RuntimeException e, UriInfo uri) {
        RestResponse<Problem> response = respond(ProblemType.UNAUTHORIZED,
                "Send a valid bearer token in the Authorization header", null, null, uri);
        response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(ProblemType.FORBIDDEN, "You are not allowed to do this", null, null, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s on %s", incident, uri.getPath());
        return respond(ProblemType.INTERNAL, "Unexpected error; quote incident " + incident + " when reporting it",
                null, null, uri);
    }

    private RestResponse<Problem> malformed(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException mapping ? pathOf(mapping) : null;
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            field = field == null ? unknown.getPropertyName() : field;
            detail = "Unknown field '" + field + "'";
        } else if (e instanceof InvalidFormatException invalid) {
            detail = "Field '" + field + "' has an invalid value " + quoted(invalid.getValue()) + " (expected "
                    + describe(invalid.getTargetType()) + ")";
        } else if (e instanceof MismatchedInputException mismatched && field != null) {
            detail = "Field '" + field + "' has the wrong type (expected " + describe(mismatched.getTargetType())
                    + ")";
        } else {
            detail = "The body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        return respond(ProblemType.MALFORMED_REQUEST, detail, field, null, uri);
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return "one of " + Arrays.toString(constants);
        }
        return switch (type.getSimpleName()) {
            case "int", "Integer", "long", "Long" -> "an integer";
            case "boolean", "Boolean" -> "true or false";
            case "Instant", "OffsetDateTime" -> "an RFC 3339 date-time such as 2026-12-01T18:00:00Z";
            case "String" -> "a string";
            default -> "an object";
        };
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    /** Property path below the method parameter: {@code create.request.settings.maxGuests} becomes {@code settings.maxGuests}. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        boolean belowParameter = false;
        String parameterName = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                belowParameter = true;
                parameterName = node.getName();
                continue;
            }
            if (belowParameter && node.getName() != null) {
                names.add(node.getName());
            }
        }
        if (names.isEmpty()) {
            return parameterName != null ? parameterName : violation.getPropertyPath().toString();
        }
        return String.join(".", names);
    }

    private static RestResponse<Problem> respond(ProblemType type, String detail, String field,
            List<Problem.FieldError> errors, UriInfo uri) {
        return respond(type, detail, field, errors, uri, type.status());
    }

    private static RestResponse<Problem> respond(ProblemType type, String detail, String field,
            List<Problem.FieldError> errors, UriInfo uri, int status) {
        Problem problem = new Problem(type.uri(), type.title(), status, detail, uri == null ? null : uri.getPath(),
                field, errors, RequestIds.current());
        return RestResponse.ResponseBuilder.<Problem>create(status).entity(problem).type(Problem.MEDIA_TYPE).build();
    }
}
