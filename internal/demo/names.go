package demo

// Word lists for realistic, fictional Chinese names. Any likeness to a real
// community or person is chance; ID numbers use region 99, which no place has.

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷钱汤尹黎常武乔贺赖龚文翟毕")

var maleGiven = []rune("伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林庆建国志海东峰振兴德永长立新文广春祥")

var femaleGiven = []rune("芳娜敏静丽艳娟霞秀玲桂英华红梅琳燕萍雪慧婷颖倩晶莉兰凤洁琴云莹娇雅悦欣彤")

// Two-character place names in the style of northern Chinese villages and
// communities; combined with the suffix lists when more are needed.
var placeNames = []string{
	"辛庄", "长远", "西山", "灵沼", "东坡", "南河", "北岭", "柳泉", "杏园", "槐荫",
	"石门", "青龙", "白塔", "双井", "三里", "五福", "太平", "永安", "福山", "龙泉",
	"桃花", "松林", "枣园", "梨园", "泉头", "河东", "河西", "前进", "红旗", "新华",
	"瓦窑", "磨坊", "马庄", "刘庄", "王家", "李家", "张家", "赵庄", "孙村", "周村",
	"黄山", "凤凰", "卧龙", "金鸡", "玉泉", "清水", "荆山", "峨庄", "罗村", "昆仑",
	"寨里", "岭子", "土峪", "石谷", "洪山", "钟楼", "南坪", "北关", "西关", "东关",
}

var placeSuffixes = []string{"", "新", "东", "西", "南", "北", "前", "后", "上", "下"}

var districtNames = []string{"东部片区", "西部片区", "南部片区", "北部片区"}

var educations = []string{"初中", "高中", "中专", "大专", "大专", "本科", "本科", "研究生"}

var chineseDigits = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// reviewerNames are the demo reviewers of the vetting departments, by
// department code (vetting.DefaultDepartments).
var reviewerNames = map[string]string{
	"jwjw": "马晓东", "zzb": "郭丽华", "tzb": "何志刚", "shgzb": "林晓燕", "zfw": "郑国强",
	"gaj": "王磊", "fy": "谢文博", "jcy": "韩雪梅", "sfj": "唐建新", "xfj": "冯淑珍",
	"wjj": "董海燕", "mzj": "赵敏", "nyncj": "曹永刚", "zrzyj": "袁立新", "zhzfj": "邓志勇",
	"sthjj": "许文静", "swj": "傅晓光", "scjgj": "沈玉兰", "sjj": "彭建平", "rmyh": "吕慧敏",
}

// countNames are, for each district in turn, its liaison who coordinates
// the counts (the first district's is district1's 张卫东, so unused there)
// and its two clerks.
var countNames = [][3]string{
	{"", "陆晓红", "姚振宇"}, {"潘建军", "卢婷", "熊俊"}, {"钟秀兰", "蒋雅琴", "孟浩"}, {"白志远", "苏倩", "尹凯"},
	{"邱德明", "秦晓玲", "江波"}, {"史国庆", "顾丽娟", "侯鹏"},
}

// extraLiaison is the liaison of a district that takes the first district's
// clerks' names again, in a zone of more districts than countNames.
const extraLiaison = "许志刚"

// clerkDuty is a clerk's duty in the district's work team.
const clerkDuty = "计票录入员"
