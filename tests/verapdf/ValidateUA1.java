// Validates PDF files against PDF/UA-1 with veraPDF's validation engine and
// prints, for each file, one line per failed rule and a closing line:
//   FAIL <file>\t<specification> <clause>-<test>\t<failed checks>\t<rule description>
//   DONE <file>\t<compliant|not-compliant>\t<assertions checked>
// An unreadable file prints ERROR <file>\t<message>. Run as a single-file
// source program: java -cp <veraPDF jar>:<JAXB runtime> ValidateUA1.java FILE...
import java.io.File;
import java.util.Map;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;
import org.verapdf.pdfa.validation.profiles.ValidationProfile;

public class ValidateUA1 {
    public static void main(String[] args) {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.fromString("ua1");
        int problems = 0;
        for (String name : args) {
            try (PDFAParser parser = Foundries.defaultInstance().createParser(new File(name), flavour)) {
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                ValidationProfile profile = validator.getProfile();
                for (Map.Entry<RuleId, Integer> failed : result.getFailedChecks().entrySet()) {
                    RuleId id = failed.getKey();
                    Rule rule = profile.getRuleByRuleId(id);
                    String description = rule == null ? "" : rule.getDescription().replaceAll("\\s+", " ");
                    System.out.println("FAIL " + name + "\t" + id.getSpecification() + " " + id.getClause() + "-"
                            + id.getTestNumber() + "\t" + failed.getValue() + "\t" + description);
                }
                System.out.println("DONE " + name + "\t" + (result.isCompliant() ? "compliant" : "not-compliant")
                        + "\t" + result.getTotalAssertions());
                if (!result.isCompliant()) problems++;
            } catch (Exception e) {
                System.out.println("ERROR " + name + "\t" + e.toString().replaceAll("\\s+", " "));
                problems++;
            }
        }
        System.exit(problems == 0 ? 0 : 1);
    }
}
