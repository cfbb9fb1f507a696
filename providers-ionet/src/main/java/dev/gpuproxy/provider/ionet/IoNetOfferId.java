package dev.gpuproxy.provider.ionet;

import dev.gpuproxy.provider.spi.ProviderException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * io.net has no offer ids; an offer is a hardware type in a location with a GPU count, encoded as
 * {@code hw-<hardwareId>-loc-<locationId>-g<gpusPerVm>} so that launching needs no second lookup.
 */
record IoNetOfferId(String hardwareId, String locationId, int gpusPerVm) {

    private static final Pattern FORMAT = Pattern.compile("hw-(.+?)-loc-(.+)-g(\\d{1,2})");

    static IoNetOfferId parse(String offerId) {
        Matcher matcher = FORMAT.matcher(offerId == null ? "" : offerId);
        if (!matcher.matches()) {
            throw ProviderException.invalidRequest(IoNetProviderFactory.ID,
                    "offer id " + offerId + " is not of the form hw-<hardware>-loc-<location>-g<gpus>");
        }
        return new IoNetOfferId(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3)));
    }

    @Override
    public String toString() {
        return "hw-" + hardwareId + "-loc-" + locationId + "-g" + gpusPerVm;
    }
}
