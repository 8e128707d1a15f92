// The function table a chart sees: every function of Sprig's map (v3) and Helm's additions,
// without the environment functions that Helm removes.

#include <gtest/gtest.h>

#include <sstream>

#include "template/funcs.h"

namespace kstack::tmpl {
namespace {

// Sprig's genericMap names, as its documentation lists them.
constexpr const char* kSprig =
    "hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound "
    "htmlDate htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch "
    "abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll "
    "trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii randNumeric "
    "swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix "
    "quote squote cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum "
    "toString atoi int64 int float64 seq toDecimal split splitList splitn toStrings until "
    "untilStep add1 add sub div mod mul randInt add1f addf subf divf mulf biggest max min maxf "
    "minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact "
    "fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson "
    "mustToRawJson ternary deepCopy mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs "
    "deepEqual getHostByName base dir clean ext isAbs osBase osClean osDir osExt osIsAbs b64enc "
    "b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge "
    "mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend "
    "mustPrepend first mustFirst rest mustRest last mustLast initial mustInitial reverse "
    "mustReverse uniq mustUniq without mustWithout has mustHas slice mustSlice concat dig chunk "
    "mustChunk bcrypt htpasswd genPrivateKey buildCustomCert genCA genCAWithKey "
    "genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES "
    "decryptAES randBytes uuidv4 semver semverCompare fail regexMatch mustRegexMatch "
    "regexFindAll mustRegexFindAll regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll "
    "regexReplaceAllLiteral mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta "
    "urlParse urlJoin";
constexpr const char* kHelm =
    "include tpl required toYaml fromYaml fromYamlArray toJson fromJson fromJsonArray toToml "
    "lookup";
constexpr const char* kBuiltins =
    "and or not eq ne lt le gt ge len index slice print printf println html js urlquery call";

std::vector<std::string> Words(const char* s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST(FuncMapTest, HelmSeesEverySprigAndHelmFunction) {
  const FuncMap& map = HelmFuncMap();
  for (const char* list : {kSprig, kHelm, kBuiltins}) {
    for (const std::string& name : Words(list)) {
      EXPECT_NE(map.Find(name), nullptr) << name;
    }
  }
  EXPECT_NE(map.Find("derivePassword"), nullptr);
  EXPECT_EQ(map.Find("env"), nullptr);
  EXPECT_EQ(map.Find("expandenv"), nullptr);
}

TEST(FuncMapTest, SprigAloneHasTheEnvironmentFunctions) {
  FuncMap map;
  AddSprigFuncs(&map);
  EXPECT_NE(map.Find("env"), nullptr);
  EXPECT_NE(map.Find("expandenv"), nullptr);
  EXPECT_EQ(map.Find("include"), nullptr);
}

}  // namespace
}  // namespace kstack::tmpl
